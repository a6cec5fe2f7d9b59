using System.Xml.Linq;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Network interfaces and their addresses.</summary>
internal static partial class Ec2Handler
{
    private static IEnumerable<object?> CreateNetworkInterface(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "Ipv4Prefix", "Ipv4PrefixCount", "Ipv6Prefix", "Ipv6PrefixCount", "EnablePrimaryIpv6", "ConnectionTrackingSpecification", "Operator");
        if (OneOf(p, "InterfaceType", "interface", "efa", "efa-only", "trunk") is { } type and not "interface")
        {
            throw new AwsErrorException("UnsupportedOperation", $"The interface type {type} is not supported by this emulator.");
        }

        var spec = InterfaceSpecFrom(p, string.Empty, p.Required("SubnetId"));
        var eni = r.CreateNetworkInterface(spec);
        ApplyTagSpecifications(p, "CreateNetworkInterface", r, ("network-interface", eni.Id));
        return [E("networkInterface", Eni(r, eni))];
    }

    private static IEnumerable<object?> DescribeNetworkInterfaces(QueryParams p, Ec2Region r)
    {
        var ids = p.List("NetworkInterfaceId");
        if (ids.Count > 0 && p.Get("MaxResults") is not null)
        {
            throw new AwsErrorException("InvalidParameterCombination", "The parameter NetworkInterfaceIds cannot be used with the parameter MaxResults");
        }

        var enis = ids.Count > 0 ? ids.Select(r.Eni) : r.Enis.Values;
        var filtered = Query.Filter(enis, p, (e, name) => name switch
        {
            "network-interface-id" => [e.Id],
            "subnet-id" => [e.SubnetId],
            "vpc-id" => [e.VpcId],
            "availability-zone" => [e.Zone],
            "description" => [e.Description],
            "attachment.instance-id" => [e.InstanceId],
            "attachment.attachment-id" => [e.AttachmentId],
            "attachment.device-index" => [e.InstanceId is null ? null : Number(e.DeviceIndex)],
            "attachment.status" => [e.InstanceId is null ? null : "attached"],
            "attachment.instance-owner-id" => [e.InstanceId is null ? null : OwnerId],
            "attachment.delete-on-termination" => [e.InstanceId is null ? null : Flag(e.DeleteOnTermination)],
            "private-ip-address" or "addresses.private-ip-address" => [e.PrimaryIp, .. e.SecondaryIps],
            "addresses.primary" => e.SecondaryIps.Count > 0 ? ["true", "false"] : ["true"],
            "private-dns-name" => [r.PrivateDnsName(e.PrimaryIp)],
            "ipv6-addresses.ipv6-address" => e.Ipv6Addresses,
            "association.public-ip" or "addresses.association.public-ip" => [r.PublicIpOf(e), .. r.Addresses.Values.Where(a => a.NetworkInterfaceId == e.Id).Select(a => a.PublicIp)],
            "association.allocation-id" => r.Addresses.Values.Where(a => a.NetworkInterfaceId == e.Id).Select(a => a.AllocationId),
            "association.association-id" => r.Addresses.Values.Where(a => a.NetworkInterfaceId == e.Id).Select(a => a.AssociationId),
            "mac-address" => [e.Mac],
            "source-dest-check" => [Flag(e.SourceDestCheck)],
            "status" => [e.InstanceId is null ? "available" : "in-use"],
            "group-id" => e.Groups,
            "group-name" => e.Groups.Select(g => r.SecurityGroups.TryGetValue(g, out var group) ? group.Name : null),
            "interface-type" => ["interface"],
            "owner-id" => [OwnerId],
            "requester-id" => [CallerUserId],
            "requester-managed" => ["false"],
            _ => null,
        }, e => r.TagsOf(e.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("networkInterfaceSet", page.Select(e => Item(Eni(r, e)))), Next(next)];
    }

    private static IEnumerable<object?> DeleteNetworkInterface(QueryParams p, Ec2Region r)
    {
        r.DeleteNetworkInterface(p.Required("NetworkInterfaceId"));
        return [True()];
    }

    private static IEnumerable<object?> ModifyNetworkInterfaceAttribute(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "EnaSrdSpecification", "EnablePrimaryIpv6", "ConnectionTrackingSpecification", "AssociatePublicIpAddress");
        var eni = r.Eni(p.Required("NetworkInterfaceId"));
        if (p.BoolOrNull("SourceDestCheck.Value") is { } check)
        {
            eni.SourceDestCheck = check;
        }

        if (p.Get("Description.Value") is { } description)
        {
            eni.Description = description;
        }

        if (p.List("SecurityGroupId") is { Count: > 0 } groups)
        {
            foreach (var id in groups.Where(g => r.SecurityGroup(g).VpcId != eni.VpcId))
            {
                throw new AwsErrorException("InvalidParameter", $"Security group {id} and network interface {eni.Id} belong to different networks.");
            }

            eni.Groups.Clear();
            eni.Groups.AddRange(groups.Distinct(StringComparer.Ordinal));
        }

        if (p.Get("Attachment.AttachmentId") is { } attachment)
        {
            if (attachment != eni.AttachmentId)
            {
                throw new AwsErrorException("InvalidAttachmentID.NotFound", $"The attachment ID '{attachment}' does not exist");
            }

            eni.DeleteOnTermination = p.Bool("Attachment.DeleteOnTermination");
        }

        return [True()];
    }

    private static IEnumerable<object?> AssignPrivateIpAddresses(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "Ipv4Prefix", "Ipv4PrefixCount");
        var eniId = p.Required("NetworkInterfaceId");
        var assigned = r.AssignPrivateIpAddresses(eniId, p.List("PrivateIpAddress"), p.Int("SecondaryPrivateIpAddressCount") ?? 0, p.Bool("AllowReassignment"));
        return [True(), E("networkInterfaceId", eniId), E("assignedPrivateIpAddressesSet", assigned.Select(ip => Item(E("privateIpAddress", ip))))];
    }

    private static IEnumerable<object?> UnassignPrivateIpAddresses(QueryParams p, Ec2Region r)
    {
        r.UnassignPrivateIpAddresses(p.Required("NetworkInterfaceId"), p.List("PrivateIpAddress"));
        return [True()];
    }

    private static IEnumerable<object?> AssignIpv6Addresses(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "Ipv6Prefix", "Ipv6PrefixCount");
        var eniId = p.Required("NetworkInterfaceId");
        var assigned = r.AssignIpv6Addresses(eniId, p.List("Ipv6Addresses"), p.Int("Ipv6AddressCount") ?? 0);
        return [E("assignedIpv6Addresses", assigned.Select(ip => Item(ip))), E("networkInterfaceId", eniId)];
    }

    private static IEnumerable<object?> UnassignIpv6Addresses(QueryParams p, Ec2Region r)
    {
        var eniId = p.Required("NetworkInterfaceId");
        var removed = r.UnassignIpv6Addresses(eniId, p.List("Ipv6Addresses"));
        return [E("networkInterfaceId", eniId), E("unassignedIpv6Addresses", removed.Select(ip => Item(ip)))];
    }

    /// <summary>An interface's addresses and groups from <c>{prefix}PrivateIpAddress</c>, <c>{prefix}PrivateIpAddresses.N</c>, <c>{prefix}SecurityGroupId.N</c> …</summary>
    private static InterfaceSpec InterfaceSpecFrom(QueryParams p, string prefix, string subnetId)
    {
        var addresses = new List<(string Ip, bool Primary)>();
        for (var i = 1; p.Get($"{prefix}PrivateIpAddresses.{i}.PrivateIpAddress") is { } ip; i++)
        {
            addresses.Add((ip, p.Bool($"{prefix}PrivateIpAddresses.{i}.Primary")));
        }

        if (addresses.Count(a => a.Primary) > 1)
        {
            throw new AwsErrorException("InvalidParameterValue", "Only one private IP address can be designated as primary.");
        }

        var primary = p.Get($"{prefix}PrivateIpAddress");
        if (primary is not null && addresses.Any(a => a.Primary && a.Ip != primary))
        {
            throw new AwsErrorException("InvalidParameterCombination", "The primary private IP address is specified twice, with different values.");
        }

        primary ??= addresses.FirstOrDefault(a => a.Primary).Ip;
        var ipv6 = p.List($"{prefix}Ipv6Addresses").Concat(Enumerable.Range(1, 100).Select(i => p.Get($"{prefix}Ipv6Addresses.{i}.Ipv6Address")).TakeWhile(a => a is not null).OfType<string>()).ToList();
        return new InterfaceSpec(subnetId)
        {
            PrivateIp = primary,
            SecondaryIps = [.. addresses.Where(a => a.Ip != primary).Select(a => a.Ip)],
            SecondaryCount = p.Int($"{prefix}SecondaryPrivateIpAddressCount") ?? 0,
            Groups = p.List($"{prefix}SecurityGroupId"),
            Description = p.Get($"{prefix}Description"),
            Ipv6Count = p.Int($"{prefix}Ipv6AddressCount") ?? 0,
            Ipv6Addresses = ipv6,
        };
    }

    private static IEnumerable<object?> Eni(Ec2Region r, EniModel e)
    {
        var addresses = r.Addresses.Values.Where(a => a.NetworkInterfaceId == e.Id).ToList();
        XElement? Association(string ip)
        {
            if (addresses.FirstOrDefault(a => a.PrivateIp == ip) is { } a)
            {
                return E("association", E("publicIp", a.PublicIp), E("publicDnsName", r.PublicDnsName(e.VpcId, a.PublicIp)), E("ipOwnerId", OwnerId), E("allocationId", a.AllocationId), E("associationId", a.AssociationId));
            }

            return ip == e.PrimaryIp && e.AutoPublicIp is { } auto
                ? E("association", E("publicIp", auto), E("publicDnsName", r.PublicDnsName(e.VpcId, auto)), E("ipOwnerId", "amazon"))
                : null;
        }

        return
        [
            E("networkInterfaceId", e.Id),
            E("subnetId", e.SubnetId),
            E("vpcId", e.VpcId),
            E("availabilityZone", e.Zone),
            E("description", e.Description),
            E("ownerId", OwnerId),
            E("requesterId", CallerUserId),
            E("requesterManaged", "false"),
            E("status", e.InstanceId is null ? "available" : "in-use"),
            E("macAddress", e.Mac),
            E("privateIpAddress", e.PrimaryIp),
            E("privateDnsName", r.PrivateDnsName(e.PrimaryIp)),
            E("sourceDestCheck", Flag(e.SourceDestCheck)),
            E("interfaceType", "interface"),
            E("groupSet", GroupSet(r, e.Groups)),
            e.InstanceId is null ? null : E("attachment",
                E("attachmentId", e.AttachmentId),
                E("instanceId", e.InstanceId),
                E("instanceOwnerId", OwnerId),
                E("deviceIndex", Number(e.DeviceIndex)),
                E("networkCardIndex", "0"),
                E("status", "attached"),
                E("attachTime", Time(r.Instances.TryGetValue(e.InstanceId, out var i) ? i.LaunchTime : r.Now)),
                E("deleteOnTermination", Flag(e.DeleteOnTermination))),
            Association(e.PrimaryIp),
            TagSet(r, e.Id),
            E("privateIpAddressesSet",
                new[] { (Ip: e.PrimaryIp, Primary: true) }.Concat(e.SecondaryIps.Select(ip => (Ip: ip, Primary: false)))
                    .Select(x => Item(E("privateIpAddress", x.Ip), E("privateDnsName", r.PrivateDnsName(x.Ip)), E("primary", Flag(x.Primary)), Association(x.Ip)))),
            E("ipv6AddressesSet", e.Ipv6Addresses.Select(ip => Item(E("ipv6Address", ip), E("isPrimaryIpv6", "false")))),
        ];
    }
}
