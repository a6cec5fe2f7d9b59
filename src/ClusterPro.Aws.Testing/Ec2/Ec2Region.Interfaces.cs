using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Network interfaces and their private IPv4 and IPv6 addresses.</summary>
internal sealed partial class Ec2Region
{
    public EniModel CreateNetworkInterface(string subnetId, string? privateIp, string? description, IReadOnlyList<string>? groups = null) =>
        CreateNetworkInterface(new InterfaceSpec(subnetId) { PrivateIp = privateIp, Description = description, Groups = groups ?? [] });

    public EniModel CreateNetworkInterface(InterfaceSpec spec)
    {
        var subnet = Subnet(spec.SubnetId);
        var groupIds = GroupsFor(subnet.VpcId, spec.Groups);
        foreach (var ip in spec.SecondaryIps)
        {
            CheckAddressFree(subnet, ip);
        }

        var ip0 = spec.PrivateIp ?? NextFreeIp(subnet, spec.SecondaryIps);
        CheckAddressFree(subnet, ip0);
        var wantsIpv6 = spec.Ipv6Count > 0 || spec.Ipv6Addresses.Count > 0;
        if (wantsIpv6 && subnet.Ipv6Cidrs.Count == 0)
        {
            throw new AwsErrorException("InvalidParameterValue", $"The subnet '{subnet.Id}' has no IPv6 CIDR block; IPv6 addresses cannot be assigned in it.");
        }

        var eni = new EniModel
        {
            Id = _ids.Next("eni"),
            SubnetId = subnet.Id,
            VpcId = subnet.VpcId,
            Zone = subnet.Zone.Name,
            Mac = _ids.Mac(),
            PrimaryIp = ip0,
            Description = spec.Description ?? string.Empty,
            Groups = groupIds,
        };
        Enis[eni.Id] = eni;
        eni.SecondaryIps.AddRange(spec.SecondaryIps.Where(ip => ip != ip0));
        for (var i = 0; i < spec.SecondaryCount; i++)
        {
            eni.SecondaryIps.Add(NextFreeIp(subnet));
        }

        var ipv6Count = wantsIpv6 ? spec.Ipv6Count : subnet.AssignIpv6AddressOnCreation ? 1 : 0;
        AssignIpv6Addresses(eni.Id, spec.Ipv6Addresses, ipv6Count);
        return eni;
    }

    public void DeleteNetworkInterface(string id)
    {
        var eni = Eni(id);
        if (eni.InstanceId is not null)
        {
            throw new AwsErrorException("InvalidNetworkInterface.InUse", $"The network interface '{id}' is currently in use.");
        }

        RemoveNetworkInterface(eni);
    }

    public List<string> AssignPrivateIpAddresses(string eniId, IReadOnlyList<string> ips, int count, bool allowReassignment)
    {
        var eni = Eni(eniId);
        var subnet = Subnet(eni.SubnetId);
        var assigned = new List<string>();
        foreach (var ip in ips)
        {
            if (!IPAddress.TryParse(ip, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork || !IPNetwork.Parse(subnet.Cidr).Contains(parsed))
            {
                throw new AwsErrorException("InvalidParameterValue", $"Address {ip} does not fall within the subnet's address range");
            }

            var holder = Enis.Values.FirstOrDefault(e => e.PrimaryIp == ip || e.SecondaryIps.Contains(ip));
            if (holder == eni)
            {
                continue;
            }

            if (holder is not null)
            {
                if (!allowReassignment || holder.PrimaryIp == ip)
                {
                    throw new AwsErrorException("PrivateIpAddressInUse", $"Address {ip} is in use.");
                }

                holder.SecondaryIps.Remove(ip);
            }

            eni.SecondaryIps.Add(ip);
            assigned.Add(ip);
        }

        for (var i = 0; i < count; i++)
        {
            var ip = NextFreeIp(subnet);
            eni.SecondaryIps.Add(ip);
            assigned.Add(ip);
        }

        return assigned;
    }

    public void UnassignPrivateIpAddresses(string eniId, IReadOnlyList<string> ips)
    {
        var eni = Eni(eniId);
        foreach (var ip in ips)
        {
            if (!eni.SecondaryIps.Remove(ip))
            {
                throw new AwsErrorException("InvalidParameterValue", $"Some of the specified addresses are not assigned to interface {eniId}");
            }
        }
    }

    public List<string> AssignIpv6Addresses(string eniId, IReadOnlyList<string> addresses, int count)
    {
        var eni = Eni(eniId);
        var subnet = Subnet(eni.SubnetId);
        if ((addresses.Count > 0 || count > 0) && subnet.Ipv6Cidrs.Count == 0)
        {
            throw new AwsErrorException("InvalidParameterValue", $"The subnet '{subnet.Id}' has no IPv6 CIDR block; IPv6 addresses cannot be assigned in it.");
        }

        var assigned = new List<string>();
        foreach (var text in addresses)
        {
            if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6 || !IPNetwork.Parse(subnet.Ipv6Cidrs[0].Cidr).Contains(address))
            {
                throw new AwsErrorException("InvalidParameterValue", $"Address {text} does not fall within the subnet's IPv6 address range");
            }

            var ip = address.ToString();
            if (Enis.Values.Any(e => e.Ipv6Addresses.Contains(ip)))
            {
                throw new AwsErrorException("InvalidIPAddress.InUse", $"Address {ip} is in use.");
            }

            eni.Ipv6Addresses.Add(ip);
            assigned.Add(ip);
        }

        for (var i = 0; i < count; i++)
        {
            var ip = NextFreeIpv6(subnet);
            eni.Ipv6Addresses.Add(ip);
            assigned.Add(ip);
        }

        return assigned;
    }

    public List<string> UnassignIpv6Addresses(string eniId, IReadOnlyList<string> addresses)
    {
        var eni = Eni(eniId);
        var normalized = addresses.Select(a => IPAddress.TryParse(a, out var ip) ? ip.ToString() : a).ToList();
        if (normalized.Any(a => !eni.Ipv6Addresses.Contains(a)))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Some of the specified addresses are not assigned to interface {eniId}");
        }

        eni.Ipv6Addresses.RemoveAll(normalized.Contains);
        return normalized;
    }

    /// <summary>Drops an interface, its tags and the Elastic IPs on it.</summary>
    private void RemoveNetworkInterface(EniModel eni)
    {
        foreach (var address in Addresses.Values.Where(a => a.NetworkInterfaceId == eni.Id))
        {
            Disassociate(address);
        }

        Enis.Remove(eni.Id);
        Tags.Remove(eni.Id);
    }

    /// <summary>The security groups for a new interface: the named ones (which must be the VPC's), else the VPC's default group.</summary>
    private List<string> GroupsFor(string vpcId, IReadOnlyList<string>? groups)
    {
        if (groups is null || groups.Count == 0)
        {
            return Vpc(vpcId).DefaultSecurityGroupId is { } defaultGroup ? [defaultGroup] : [];
        }

        foreach (var id in groups)
        {
            if (SecurityGroup(id).VpcId != vpcId)
            {
                throw new AwsErrorException("InvalidParameter", $"Security group {id} and subnet belong to different networks.");
            }
        }

        return [.. groups.Distinct(StringComparer.Ordinal)];
    }

    private string NextFreeIp(SubnetModel subnet, IReadOnlyList<string>? reserved = null)
    {
        var network = IPNetwork.Parse(subnet.Cidr);
        var baseBytes = network.BaseAddress.GetAddressBytes();
        var baseValue = (uint)((baseBytes[0] << 24) | (baseBytes[1] << 16) | (baseBytes[2] << 8) | baseBytes[3]);
        var size = 1u << (32 - network.PrefixLength);

        // AWS reserves the first four addresses and the last one of every subnet.
        subnet.NextHost = Math.Max(subnet.NextHost, 4);
        while (subnet.NextHost < size - 1)
        {
            var value = baseValue + (uint)subnet.NextHost++;
            var ip = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
            if (!Enis.Values.Any(e => e.PrimaryIp == ip || e.SecondaryIps.Contains(ip)) && reserved?.Contains(ip) != true)
            {
                return ip;
            }
        }

        throw new AwsErrorException("InsufficientFreeAddressesInSubnet", $"The specified subnet does not have enough free addresses to satisfy the request.");
    }

    private string NextFreeIpv6(SubnetModel subnet)
    {
        var network = IPNetwork.Parse(subnet.Ipv6Cidrs[0].Cidr);
        var bytes = network.BaseAddress.GetAddressBytes();
        while (true)
        {
            var host = (ulong)subnet.NextIpv6Host++;
            for (var i = 0; i < 8; i++)
            {
                bytes[15 - i] = (byte)(host >> (8 * i));
            }

            var ip = new IPAddress(bytes).ToString();
            if (!Enis.Values.Any(e => e.Ipv6Addresses.Contains(ip)))
            {
                return ip;
            }
        }
    }

    private void CheckAddressFree(SubnetModel subnet, string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork || !IPNetwork.Parse(subnet.Cidr).Contains(address))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Address {ip} does not fall within the subnet's address range");
        }

        var network = IPNetwork.Parse(subnet.Cidr);
        var offset = BitConverter.ToUInt32([.. address.GetAddressBytes().Reverse()]) - BitConverter.ToUInt32([.. network.BaseAddress.GetAddressBytes().Reverse()]);
        if (offset < 4 || offset == (1u << (32 - network.PrefixLength)) - 1)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Address {ip} is in subnet's reserved address range");
        }

        if (Enis.Values.Any(e => e.PrimaryIp == ip || e.SecondaryIps.Contains(ip)))
        {
            throw new AwsErrorException("InvalidIPAddress.InUse", $"Address {ip} is in use.");
        }
    }
}
