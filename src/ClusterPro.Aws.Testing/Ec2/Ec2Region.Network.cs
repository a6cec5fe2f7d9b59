using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>VPCs, their CIDR blocks and attributes, subnets.</summary>
internal sealed partial class Ec2Region
{
    private const int MaxIpv4CidrsPerVpc = 5;

    public VpcModel CreateVpc(string cidr, string tenancy = "default", bool amazonIpv6 = false)
    {
        var network = ParseCidr(cidr, "cidrBlock", 0, 32);
        if (network.PrefixLength is < 16 or > 28)
        {
            throw new AwsErrorException("InvalidVpc.Range", $"The CIDR '{cidr}' is invalid.");
        }

        if (tenancy is not ("default" or "dedicated"))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({tenancy}) for parameter instanceTenancy is invalid. Valid values: default, dedicated.");
        }

        var vpc = new VpcModel { Id = _ids.Next("vpc"), InstanceTenancy = tenancy };
        vpc.Cidrs.Add(new VpcCidr { AssociationId = _ids.Next("vpc-cidr-assoc"), Cidr = network.ToString() });
        if (amazonIpv6)
        {
            vpc.Ipv6Cidrs.Add(new VpcCidr { AssociationId = _ids.Next("vpc-cidr-assoc"), Cidr = _ids.Ipv6Block() });
        }

        Vpcs[vpc.Id] = vpc;
        var main = CreateRouteTable(vpc.Id);
        main.Associations.Add(new RouteTableAssociationModel { Id = _ids.Next("rtbassoc"), Main = true });
        vpc.MainRouteTableId = main.Id;
        var group = new SecurityGroupModel { Id = _ids.Next("sg"), Name = "default", Description = "default VPC security group", VpcId = vpc.Id, IsDefault = true };
        SecurityGroups[group.Id] = group;
        vpc.DefaultSecurityGroupId = group.Id;
        return vpc;
    }

    /// <summary>Associates an IPv4 block (and adds its local route to every route table of the VPC) or an Amazon-provided IPv6 /56.</summary>
    public VpcCidr AssociateVpcCidrBlock(string vpcId, string? cidr, bool amazonIpv6)
    {
        var vpc = Vpc(vpcId);
        if ((cidr is null) == !amazonIpv6)
        {
            throw new AwsErrorException("InvalidParameterCombination", "Exactly one of 'cidrBlock', 'amazonProvidedIpv6CidrBlock' or 'ipv6CidrBlock' must be specified.");
        }

        if (amazonIpv6)
        {
            var block = new VpcCidr { AssociationId = _ids.Next("vpc-cidr-assoc"), Cidr = _ids.Ipv6Block() };
            vpc.Ipv6Cidrs.Add(block);
            AddLocalRoutes(vpc.Id, block.Cidr);
            return block;
        }

        var network = ParseCidr(cidr!, "cidrBlock", 0, 32);
        if (network.PrefixLength is < 16 or > 28)
        {
            throw new AwsErrorException("InvalidVpc.Range", $"The CIDR '{cidr}' is invalid.");
        }

        if (vpc.Cidrs.Any(c => Overlaps(IPNetwork.Parse(c.Cidr), network)))
        {
            throw new AwsErrorException("InvalidVpc.Range", $"The CIDR '{cidr}' conflicts with another subnet");
        }

        if (vpc.Cidrs.Count >= MaxIpv4CidrsPerVpc)
        {
            throw new AwsErrorException("CidrLimitExceeded", $"This network '{vpcId}' has met its maximum number of allowed CIDRs: {MaxIpv4CidrsPerVpc}");
        }

        var association = new VpcCidr { AssociationId = _ids.Next("vpc-cidr-assoc"), Cidr = network.ToString() };
        vpc.Cidrs.Add(association);
        AddLocalRoutes(vpc.Id, association.Cidr);
        return association;
    }

    /// <summary>Removes a secondary IPv4 block (and its local routes) or an IPv6 block; the primary block and blocks holding subnets stay.</summary>
    public (VpcModel Vpc, VpcCidr Block, bool Ipv6) DisassociateVpcCidrBlock(string associationId)
    {
        foreach (var vpc in Vpcs.Values)
        {
            if (vpc.Cidrs.FirstOrDefault(c => c.AssociationId == associationId) is { } block)
            {
                if (block == vpc.Cidrs[0])
                {
                    throw new AwsErrorException("OperationNotPermitted", $"The vpc CIDR block with association ID {associationId} may not be disassociated. It is the primary IPv4 CIDR block of the VPC");
                }

                var network = IPNetwork.Parse(block.Cidr);
                if (Subnets.Values.Any(s => s.VpcId == vpc.Id && Within(IPNetwork.Parse(s.Cidr), network)))
                {
                    throw new AwsErrorException("DependencyViolation", $"The vpc CIDR block with association ID {associationId} may not be disassociated. It has subnets.");
                }

                vpc.Cidrs.Remove(block);
                RemoveLocalRoutes(vpc.Id, block.Cidr);
                return (vpc, block, false);
            }

            if (vpc.Ipv6Cidrs.FirstOrDefault(c => c.AssociationId == associationId) is { } v6)
            {
                if (Subnets.Values.Any(s => s.VpcId == vpc.Id && s.Ipv6Cidrs.Count > 0))
                {
                    throw new AwsErrorException("DependencyViolation", $"The vpc CIDR block with association ID {associationId} may not be disassociated. It has subnets with IPv6 CIDR blocks.");
                }

                vpc.Ipv6Cidrs.Remove(v6);
                RemoveLocalRoutes(vpc.Id, v6.Cidr);
                return (vpc, v6, true);
            }
        }

        throw new AwsErrorException("InvalidVpcCidrBlockAssociationID.NotFound", $"The vpc CIDR block association ID '{associationId}' does not exist");
    }

    public SubnetModel CreateSubnet(string vpcId, string cidr, string? zoneName, string? zoneId = null, string? ipv6Cidr = null)
    {
        var vpc = Vpc(vpcId);
        var network = ParseCidr(cidr, "cidrBlock", 0, 32);
        if (network.PrefixLength is < 16 or > 28 || !vpc.Cidrs.Any(c => Within(network, IPNetwork.Parse(c.Cidr))))
        {
            throw new AwsErrorException("InvalidSubnet.Range", $"The CIDR '{cidr}' is invalid.");
        }

        if (Subnets.Values.Any(s => s.VpcId == vpcId && Overlaps(IPNetwork.Parse(s.Cidr), network)))
        {
            throw new AwsErrorException("InvalidSubnet.Conflict", $"The CIDR '{cidr}' conflicts with another subnet");
        }

        var zone = (zoneName, zoneId) switch
        {
            (not null, not null) => throw new AwsErrorException("InvalidParameterCombination", "Only one of availabilityZone or availabilityZoneId may be specified."),
            (not null, _) => Zones.FirstOrDefault(z => z.Name == zoneName) ?? throw new AwsErrorException(
                "InvalidParameterValue",
                $"Value ({zoneName}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: {string.Join(", ", Zones.Select(z => z.Name))}."),
            (_, not null) => Zones.FirstOrDefault(z => z.ZoneId == zoneId) ?? throw new AwsErrorException(
                "InvalidParameterValue",
                $"Value ({zoneId}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zone IDs: {string.Join(", ", Zones.Select(z => z.ZoneId))}."),
            _ => Zones[0],
        };
        var subnet = new SubnetModel { Id = _ids.Next("subnet"), VpcId = vpcId, Cidr = network.ToString(), Zone = zone };
        if (ipv6Cidr is not null)
        {
            CheckSubnetIpv6(vpc, subnet, ipv6Cidr);
        }

        Subnets[subnet.Id] = subnet;
        if (ipv6Cidr is not null)
        {
            subnet.Ipv6Cidrs.Add(new VpcCidr { AssociationId = _ids.Next("subnet-cidr-assoc"), Cidr = IPNetwork.Parse(ipv6Cidr).ToString() });
        }

        return subnet;
    }

    public VpcCidr AssociateSubnetCidrBlock(string subnetId, string ipv6Cidr)
    {
        var subnet = Subnet(subnetId);
        if (subnet.Ipv6Cidrs.Count > 0)
        {
            throw new AwsErrorException("InvalidParameterValue", $"The subnet '{subnetId}' already has an IPv6 CIDR block associated.");
        }

        CheckSubnetIpv6(Vpc(subnet.VpcId), subnet, ipv6Cidr);
        var block = new VpcCidr { AssociationId = _ids.Next("subnet-cidr-assoc"), Cidr = IPNetwork.Parse(ipv6Cidr).ToString() };
        subnet.Ipv6Cidrs.Add(block);
        return block;
    }

    public (SubnetModel Subnet, VpcCidr Block) DisassociateSubnetCidrBlock(string associationId)
    {
        var subnet = Subnets.Values.FirstOrDefault(s => s.Ipv6Cidrs.Any(c => c.AssociationId == associationId))
            ?? throw new AwsErrorException("InvalidSubnetCidrBlockAssociationID.NotFound", $"The subnet CIDR block with association ID '{associationId}' does not exist");
        if (Enis.Values.Any(e => e.SubnetId == subnet.Id && e.Ipv6Addresses.Count > 0))
        {
            throw new AwsErrorException("DependencyViolation", $"The subnet CIDR block with association ID {associationId} may not be disassociated. It has network interfaces with IPv6 addresses.");
        }

        var block = subnet.Ipv6Cidrs.Single(c => c.AssociationId == associationId);
        subnet.Ipv6Cidrs.Remove(block);
        subnet.AssignIpv6AddressOnCreation = false;
        return (subnet, block);
    }

    /// <summary>EC2's count: the block's size, less the 5 addresses AWS reserves, less every address an interface holds.</summary>
    public int AvailableIpAddressCount(SubnetModel subnet)
    {
        var size = 1 << (32 - IPNetwork.Parse(subnet.Cidr).PrefixLength);
        var used = Enis.Values.Where(e => e.SubnetId == subnet.Id).Sum(e => 1 + e.SecondaryIps.Count);
        return Math.Max(0, size - 5 - used);
    }

    public void DeleteVpc(string id)
    {
        var vpc = Vpc(id);
        if (Subnets.Values.Any(s => s.VpcId == id) || RouteTables.Values.Any(t => t.VpcId == id && t.Id != vpc.MainRouteTableId)
            || SecurityGroups.Values.Any(g => g.VpcId == id && !g.IsDefault) || Enis.Values.Any(e => e.VpcId == id)
            || InternetGateways.Values.Any(g => g.VpcId == id))
        {
            throw new AwsErrorException("DependencyViolation", $"The vpc '{id}' has dependencies and cannot be deleted.");
        }

        foreach (var resource in new[] { id, vpc.MainRouteTableId, vpc.DefaultSecurityGroupId }.OfType<string>())
        {
            RouteTables.Remove(resource);
            SecurityGroups.Remove(resource);
            Tags.Remove(resource);
        }

        Vpcs.Remove(id);
    }

    public void DeleteSubnet(string id)
    {
        Subnet(id);
        if (Enis.Values.Any(e => e.SubnetId == id))
        {
            throw new AwsErrorException("DependencyViolation", $"The subnet '{id}' has dependencies and cannot be deleted.");
        }

        foreach (var table in RouteTables.Values)
        {
            table.Associations.RemoveAll(a => a.SubnetId == id);
        }

        Subnets.Remove(id);
        Tags.Remove(id);
    }

    private void AddLocalRoutes(string vpcId, string cidr)
    {
        foreach (var table in RouteTables.Values.Where(t => t.VpcId == vpcId))
        {
            table.Routes.Add(new RouteModel { Cidr = cidr, GatewayId = "local", Origin = "CreateRouteTable" });
        }
    }

    private void RemoveLocalRoutes(string vpcId, string cidr)
    {
        foreach (var table in RouteTables.Values.Where(t => t.VpcId == vpcId))
        {
            table.Routes.RemoveAll(r => r.Cidr == cidr && r.GatewayId == "local");
        }
    }

    private void CheckSubnetIpv6(VpcModel vpc, SubnetModel subnet, string ipv6Cidr)
    {
        if (!IPNetwork.TryParse(ipv6Cidr, out var network) || network.BaseAddress.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({ipv6Cidr}) for parameter ipv6CidrBlock is invalid. This is not a valid IPv6 CIDR block.");
        }

        if (network.PrefixLength != 64 || !vpc.Ipv6Cidrs.Any(c => Within(network, IPNetwork.Parse(c.Cidr))))
        {
            throw new AwsErrorException("InvalidSubnet.Range", $"The IPv6 CIDR '{ipv6Cidr}' is invalid.");
        }

        if (Subnets.Values.Any(s => s != subnet && s.VpcId == vpc.Id && s.Ipv6Cidrs.Any(c => Overlaps(IPNetwork.Parse(c.Cidr), network))))
        {
            throw new AwsErrorException("InvalidSubnet.Conflict", $"The IPv6 CIDR '{ipv6Cidr}' conflicts with another subnet");
        }
    }
}
