using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Elastic IP addresses.</summary>
internal sealed partial class Ec2Region
{
    /// <summary>Allocates an address: a new one from the documentation ranges, or the one asked for when it is free.</summary>
    public AddressModel AllocateAddress(string? address = null, string? networkBorderGroup = null, string? pool = null)
    {
        if (networkBorderGroup is not null && networkBorderGroup != Name)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({networkBorderGroup}) for parameter NetworkBorderGroup is invalid. The network border group of this region is {Name}.");
        }

        if (pool is not null && pool != "amazon")
        {
            throw new AwsErrorException("InvalidParameterValue", $"The public IPv4 pool '{pool}' does not exist.");
        }

        string publicIp;
        if (address is null)
        {
            publicIp = NewPublicIp();
        }
        else
        {
            if (!IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork || address.Count(c => c == '.') != 3)
            {
                throw new AwsErrorException("InvalidParameterValue", $"Value ({address}) for parameter address is invalid. The address must be a valid IPv4 address.");
            }

            publicIp = parsed.ToString();
            if (Addresses.Values.Any(a => a.PublicIp == publicIp) || Enis.Values.Any(e => e.AutoPublicIp == publicIp))
            {
                throw new AwsErrorException("InvalidAddress.InUse", $"Address {publicIp} is already allocated.");
            }
        }

        var allocation = new AddressModel { AllocationId = _ids.Next("eipalloc"), PublicIp = publicIp };
        Addresses[allocation.AllocationId] = allocation;
        return allocation;
    }

    public string AssociateAddress(string? allocationId, string? publicIp, string? eniId, string? instanceId, string? privateIp, bool allowReassociation)
    {
        var address = allocationId is not null
            ? Address(allocationId)
            : Addresses.Values.FirstOrDefault(a => a.PublicIp == publicIp) ?? throw new AwsErrorException("InvalidAddress.NotFound", $"The address '{publicIp}' does not exist");
        EniModel eni;
        if (eniId is not null)
        {
            eni = Eni(eniId);
        }
        else if (instanceId is not null)
        {
            eni = Eni(Instance(instanceId).PrimaryEniId);
        }
        else
        {
            throw new AwsErrorException("MissingParameter", "Either an instance ID or a network interface ID must be specified.");
        }

        var target = privateIp ?? eni.PrimaryIp;
        if (target != eni.PrimaryIp && !eni.SecondaryIps.Contains(target))
        {
            throw new AwsErrorException("InvalidParameterValue", $"The private IP address {target} is not assigned to network interface {eni.Id}.");
        }

        if (address.AssociationId is not null && !allowReassociation && !(address.NetworkInterfaceId == eni.Id && address.PrivateIp == target))
        {
            throw new AwsErrorException("Resource.AlreadyAssociated", $"resource {address.AllocationId} is already associated with associate-id {address.AssociationId}");
        }

        // An address already on the target private IP is released from it (EC2 moves it).
        foreach (var other in Addresses.Values.Where(a => a != address && a.NetworkInterfaceId == eni.Id && a.PrivateIp == target))
        {
            if (!allowReassociation)
            {
                throw new AwsErrorException("Resource.AlreadyAssociated", $"resource {eni.Id} is already associated with associate-id {other.AssociationId}");
            }

            Disassociate(other);
        }

        if (address.NetworkInterfaceId is not null)
        {
            Disassociate(address);
        }

        address.AssociationId = _ids.Next("eipassoc");
        address.NetworkInterfaceId = eni.Id;
        address.PrivateIp = target;
        if (target == eni.PrimaryIp)
        {
            // The interface's launch-time public address is released for the Elastic IP.
            eni.AutoPublicIp = null;
        }

        return address.AssociationId;
    }

    public void DisassociateAddress(string? associationId, string? publicIp)
    {
        if (associationId is null && publicIp is null)
        {
            throw new AwsErrorException("MissingParameter", "Either public IP or association id must be specified");
        }

        var address = associationId is not null
            ? Addresses.Values.FirstOrDefault(a => a.AssociationId == associationId) ?? throw new AwsErrorException("InvalidAssociationID.NotFound", $"The association ID '{associationId}' does not exist")
            : Addresses.Values.FirstOrDefault(a => a.PublicIp == publicIp) ?? throw new AwsErrorException("InvalidAddress.NotFound", $"The address '{publicIp}' does not exist");
        Disassociate(address);
    }

    public void ReleaseAddress(string? allocationId, string? publicIp)
    {
        var address = allocationId is not null
            ? Address(allocationId)
            : publicIp is not null
                ? Addresses.Values.FirstOrDefault(a => a.PublicIp == publicIp) ?? throw new AwsErrorException("InvalidAddress.NotFound", $"The address '{publicIp}' does not exist")
                : throw new AwsErrorException("MissingParameter", "Either public IP or allocation id must be specified");
        if (address.AssociationId is not null)
        {
            throw new AwsErrorException("InvalidIPAddress.InUse", $"Address {address.PublicIp} is in use.");
        }

        Addresses.Remove(address.AllocationId);
        Tags.Remove(address.AllocationId);
    }

    /// <summary>The public IPv4 address EC2 shows for an interface's primary private address: its Elastic IP, else the one it got at launch.</summary>
    public string? PublicIpOf(EniModel eni) =>
        Addresses.Values.FirstOrDefault(a => a.NetworkInterfaceId == eni.Id && a.PrivateIp == eni.PrimaryIp)?.PublicIp ?? eni.AutoPublicIp;

    /// <summary>Unmaps an Elastic IP; a running instance's interface launched with a public address gets a new one, as on EC2.</summary>
    public void Disassociate(AddressModel address)
    {
        if (address.NetworkInterfaceId is { } eniId && Enis.TryGetValue(eniId, out var eni) && address.PrivateIp == eni.PrimaryIp && eni.MapsPublicIp
            && eni.InstanceId is { } instanceId && Instances.TryGetValue(instanceId, out var instance) && instance.State is "running" or "pending")
        {
            eni.AutoPublicIp = NewPublicIp();
        }

        address.AssociationId = null;
        address.NetworkInterfaceId = null;
        address.PrivateIp = null;
    }

    private string NewPublicIp()
    {
        string ip;
        do
        {
            ip = _ids.PublicIp();
        }
        while (Addresses.Values.Any(a => a.PublicIp == ip) || Enis.Values.Any(e => e.AutoPublicIp == ip));
        return ip;
    }
}
