namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Elastic IP addresses.</summary>
internal static partial class Ec2Handler
{
    private static IEnumerable<object?> AllocateAddress(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "CustomerOwnedIpv4Pool", "IpamPoolId");
        if (OneOf(p, "Domain", "vpc", "standard") == "standard")
        {
            throw new AwsErrorException("InvalidParameterValue", "Value (standard) for parameter domain is invalid. EC2-Classic has been retired; use vpc.");
        }

        var a = r.AllocateAddress(p.Get("Address"), p.Get("NetworkBorderGroup"), p.Get("PublicIpv4Pool"));
        ApplyTagSpecifications(p, "AllocateAddress", r, ("elastic-ip", a.AllocationId));
        return [E("publicIp", a.PublicIp), E("domain", "vpc"), E("allocationId", a.AllocationId), E("publicIpv4Pool", "amazon"), E("networkBorderGroup", r.Name)];
    }

    private static IEnumerable<object?> DescribeAddresses(QueryParams p, Ec2Region r)
    {
        var allocationIds = p.List("AllocationId");
        var publicIps = p.List("PublicIp");
        IEnumerable<AddressModel> addresses = r.Addresses.Values;
        if (allocationIds.Count > 0)
        {
            addresses = allocationIds.Select(r.Address);
        }
        else if (publicIps.Count > 0)
        {
            addresses = publicIps.Select(ip => r.Addresses.Values.FirstOrDefault(a => a.PublicIp == ip)
                ?? throw new AwsErrorException("InvalidAddress.NotFound", $"Address '{ip}' not found."));
        }

        var filtered = Query.Filter(addresses, p, (a, name) => name switch
        {
            "allocation-id" => [a.AllocationId],
            "association-id" => [a.AssociationId],
            "public-ip" => [a.PublicIp],
            "network-interface-id" => [a.NetworkInterfaceId],
            "network-interface-owner-id" => [a.NetworkInterfaceId is null ? null : OwnerId],
            "private-ip-address" => [a.PrivateIp],
            "instance-id" => [InstanceOf(r, a.NetworkInterfaceId)],
            "domain" => ["vpc"],
            "network-border-group" => [r.Name],
            "public-ipv4-pool" => ["amazon"],
            _ => null,
        }, a => r.TagsOf(a.AllocationId));
        return [E("addressesSet", filtered.Select(a => Item(
            E("publicIp", a.PublicIp),
            E("allocationId", a.AllocationId),
            E("domain", "vpc"),
            Opt("associationId", a.AssociationId),
            Opt("networkInterfaceId", a.NetworkInterfaceId),
            Opt("networkInterfaceOwnerId", a.NetworkInterfaceId is null ? null : OwnerId),
            Opt("privateIpAddress", a.PrivateIp),
            Opt("instanceId", InstanceOf(r, a.NetworkInterfaceId)),
            E("publicIpv4Pool", "amazon"),
            E("networkBorderGroup", r.Name),
            TagSet(r, a.AllocationId))))];
    }

    private static IEnumerable<object?> AssociateAddress(QueryParams p, Ec2Region r)
    {
        var id = r.AssociateAddress(p.Get("AllocationId"), p.Get("PublicIp"), p.Get("NetworkInterfaceId"), p.Get("InstanceId"), p.Get("PrivateIpAddress"), p.Bool("AllowReassociation"));
        return [True(), E("associationId", id)];
    }

    private static IEnumerable<object?> DisassociateAddress(QueryParams p, Ec2Region r)
    {
        r.DisassociateAddress(p.Get("AssociationId"), p.Get("PublicIp"));
        return [True()];
    }

    private static IEnumerable<object?> ReleaseAddress(QueryParams p, Ec2Region r)
    {
        if (p.Get("NetworkBorderGroup") is { } group && group != r.Name)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({group}) for parameter NetworkBorderGroup is invalid. The network border group of this region is {r.Name}.");
        }

        r.ReleaseAddress(p.Get("AllocationId"), p.Get("PublicIp"));
        return [True()];
    }
}
