using ClusterPro.Aws.Testing.Regions;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>VPCs, their CIDR blocks and attributes; subnets and theirs.</summary>
internal static partial class Ec2Handler
{
    private static readonly string[] VpcAttributes = ["EnableDnsSupport", "EnableDnsHostnames", "EnableNetworkAddressUsageMetrics"];

    private static readonly string[] SubnetFlags = ["MapPublicIpOnLaunch", "AssignIpv6AddressOnCreation", "EnableDns64", "EnableResourceNameDnsARecordOnLaunch", "EnableResourceNameDnsAAAARecordOnLaunch"];

    private static IEnumerable<object?> CreateVpc(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "Ipv6Pool", "Ipv6CidrBlock", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Ipv6IpamPoolId", "Ipv6NetmaskLength");
        if (p.Get("Ipv6CidrBlockNetworkBorderGroup") is { } group && group != r.Name)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({group}) for parameter Ipv6CidrBlockNetworkBorderGroup is invalid. The network border group of this region is {r.Name}.");
        }

        var tenancy = OneOf(p, "InstanceTenancy", "default", "dedicated", "host") ?? "default";
        var vpc = r.CreateVpc(p.Required("CidrBlock"), tenancy, p.Bool("AmazonProvidedIpv6CidrBlock"));
        ApplyTagSpecifications(p, "CreateVpc", r, ("vpc", vpc.Id));
        return [E("vpc", Vpc(r, vpc, created: true))];
    }

    private static IEnumerable<object?> CreateDefaultVpc(QueryParams p, Ec2Region r)
    {
        if (r.DefaultVpc is not null)
        {
            throw new AwsErrorException("DefaultVpcAlreadyExists", "A Default VPC already exists for this account in this region.");
        }

        r.RecreateDefaultVpc();
        return [E("vpc", Vpc(r, r.DefaultVpc!, created: true))];
    }

    private static IEnumerable<object?> DescribeVpcs(QueryParams p, Ec2Region r)
    {
        var ids = p.List("VpcId");
        var vpcs = ids.Count > 0 ? ids.Select(r.Vpc) : r.Vpcs.Values;
        var filtered = Query.Filter(vpcs, p, (v, name) => name switch
        {
            "vpc-id" => [v.Id],
            "cidr" or "cidr-block" or "cidrBlock" or "cidr-block-association.cidr-block" => v.Cidrs.Select(c => c.Cidr),
            "cidr-block-association.association-id" => v.Cidrs.Select(c => c.AssociationId),
            "cidr-block-association.state" => v.Cidrs.Select(c => c.State),
            "ipv6-cidr-block-association.ipv6-cidr-block" => v.Ipv6Cidrs.Select(c => c.Cidr),
            "ipv6-cidr-block-association.association-id" => v.Ipv6Cidrs.Select(c => c.AssociationId),
            "ipv6-cidr-block-association.state" => v.Ipv6Cidrs.Select(c => c.State),
            "ipv6-cidr-block-association.ipv6-pool" => v.Ipv6Cidrs.Select(_ => "Amazon"),
            "dhcp-options-id" => ["dopt-00000000000000000"],
            "state" => ["available"],
            "is-default" or "isDefault" => [Flag(v.IsDefault)],
            "instance-tenancy" => [v.InstanceTenancy],
            "owner-id" => [OwnerId],
            _ => null,
        }, v => r.TagsOf(v.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("vpcSet", page.Select(v => Item(Vpc(r, v)))), Next(next)];
    }

    private static IEnumerable<object?> DeleteVpc(QueryParams p, Ec2Region r)
    {
        r.DeleteVpc(p.Required("VpcId"));
        return [True()];
    }

    private static IEnumerable<object?> AssociateVpcCidrBlock(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "Ipv6Pool", "Ipv6CidrBlock", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Ipv6IpamPoolId", "Ipv6NetmaskLength");
        var vpcId = p.Required("VpcId");
        var ipv6 = p.Bool("AmazonProvidedIpv6CidrBlock");
        var association = r.AssociateVpcCidrBlock(vpcId, p.Get("CidrBlock"), ipv6);

        // EC2 answers while the association is still being made; Describe calls then show it associated.
        return ipv6
            ? [E("vpcId", vpcId), E("ipv6CidrBlockAssociation", Ipv6Association(r, association, "associating", withBlock: false))]
            : [E("vpcId", vpcId), E("cidrBlockAssociation", CidrAssociation(association, "associating"))];
    }

    private static IEnumerable<object?> DisassociateVpcCidrBlock(QueryParams p, Ec2Region r)
    {
        var (vpc, block, ipv6) = r.DisassociateVpcCidrBlock(p.Required("AssociationId"));
        return ipv6
            ? [E("vpcId", vpc.Id), E("ipv6CidrBlockAssociation", Ipv6Association(r, block, "disassociating", withBlock: true))]
            : [E("vpcId", vpc.Id), E("cidrBlockAssociation", CidrAssociation(block, "disassociating"))];
    }

    private static IEnumerable<object?> DescribeVpcAttribute(QueryParams p, Ec2Region r)
    {
        var attribute = p.Required("Attribute");
        var vpc = r.Vpc(p.Required("VpcId"));
        bool value = attribute switch
        {
            "enableDnsSupport" => vpc.EnableDnsSupport,
            "enableDnsHostnames" => vpc.EnableDnsHostnames,
            "enableNetworkAddressUsageMetrics" => vpc.EnableNetworkAddressUsageMetrics,
            _ => throw new AwsErrorException("InvalidParameterValue", $"Value ({attribute}) for parameter attribute is invalid. Unknown attribute."),
        };
        return [E("vpcId", vpc.Id), E(attribute, E("value", Flag(value)))];
    }

    private static IEnumerable<object?> ModifyVpcAttribute(QueryParams p, Ec2Region r)
    {
        var vpc = r.Vpc(p.Required("VpcId"));
        var changes = VpcAttributes.Where(a => p.Get(a + ".Value") is not null).ToList();
        if (changes.Count != 1)
        {
            throw new AwsErrorException(changes.Count == 0 ? "MissingParameter" : "InvalidParameterCombination", "Exactly one attribute must be specified, and only one attribute can be modified at a time.");
        }

        var value = p.BoolOrNull(changes[0] + ".Value")!.Value;
        switch (changes[0])
        {
            case "EnableDnsSupport":
                vpc.EnableDnsSupport = value;
                break;
            case "EnableDnsHostnames":
                vpc.EnableDnsHostnames = value;
                break;
            default:
                vpc.EnableNetworkAddressUsageMetrics = value;
                break;
        }

        return [True()];
    }

    private static IEnumerable<object?> CreateSubnet(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "OutpostArn", "Ipv4IpamPoolId", "Ipv4NetmaskLength", "Ipv6IpamPoolId", "Ipv6NetmaskLength");
        if (p.Bool("Ipv6Native"))
        {
            throw new AwsErrorException("UnsupportedOperation", "The parameter Ipv6Native is not supported by this emulator (every subnet has an IPv4 block; see the ClusterPro.Aws.Testing README's fidelity table).");
        }

        var subnet = r.CreateSubnet(p.Required("VpcId"), p.Required("CidrBlock"), p.Get("AvailabilityZone"), p.Get("AvailabilityZoneId"), p.Get("Ipv6CidrBlock"));
        ApplyTagSpecifications(p, "CreateSubnet", r, ("subnet", subnet.Id));
        return [E("subnet", Subnet(r, subnet, created: true))];
    }

    private static IEnumerable<object?> DescribeSubnets(QueryParams p, Ec2Region r)
    {
        var ids = p.List("SubnetId");
        var subnets = ids.Count > 0 ? ids.Select(r.Subnet) : r.Subnets.Values;
        var filtered = Query.Filter(subnets, p, (s, name) => name switch
        {
            "subnet-id" => [s.Id],
            "subnet-arn" => [SubnetArn(r, s)],
            "vpc-id" => [s.VpcId],
            "cidr-block" or "cidr" or "cidrBlock" => [s.Cidr],
            "availability-zone" or "availabilityZone" => [s.Zone.Name],
            "availability-zone-id" or "availabilityZoneId" => [s.Zone.ZoneId],
            "available-ip-address-count" => [Number(r.AvailableIpAddressCount(s))],
            "default-for-az" or "defaultForAz" => [Flag(s.DefaultForAz)],
            "map-public-ip-on-launch" => [Flag(s.MapPublicIpOnLaunch)],
            "assign-ipv6-address-on-creation" => [Flag(s.AssignIpv6AddressOnCreation)],
            "enable-dns64" => [Flag(s.EnableDns64)],
            "ipv6-native" => ["false"],
            "ipv6-cidr-block-association.ipv6-cidr-block" => s.Ipv6Cidrs.Select(c => c.Cidr),
            "ipv6-cidr-block-association.association-id" => s.Ipv6Cidrs.Select(c => c.AssociationId),
            "ipv6-cidr-block-association.state" => s.Ipv6Cidrs.Select(c => c.State),
            "private-dns-name-options-on-launch.hostname-type" => [s.HostnameType],
            "owner-id" => [OwnerId],
            "state" => ["available"],
            _ => null,
        }, s => r.TagsOf(s.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, namedIds: ids.Count > 0);
        return [E("subnetSet", page.Select(s => Item(Subnet(r, s)))), Next(next)];
    }

    private static IEnumerable<object?> DeleteSubnet(QueryParams p, Ec2Region r)
    {
        r.DeleteSubnet(p.Required("SubnetId"));
        return [True()];
    }

    private static IEnumerable<object?> ModifySubnetAttribute(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "MapCustomerOwnedIpOnLaunch", "CustomerOwnedIpv4Pool", "EnableLniAtDeviceIndex", "DisableLniAtDeviceIndex");
        var subnet = r.Subnet(p.Required("SubnetId"));
        var changes = SubnetFlags.Where(a => p.Get(a + ".Value") is not null).ToList();
        var hostname = OneOf(p, "PrivateDnsHostnameTypeOnLaunch", "ip-name", "resource-name");
        if (changes.Count + (hostname is null ? 0 : 1) != 1)
        {
            throw new AwsErrorException(changes.Count == 0 && hostname is null ? "MissingParameter" : "InvalidParameterCombination", "Exactly one attribute must be specified, and only one attribute can be modified at a time.");
        }

        if (hostname is not null)
        {
            subnet.HostnameType = hostname;
            return [True()];
        }

        var value = p.BoolOrNull(changes[0] + ".Value")!.Value;
        switch (changes[0])
        {
            case "MapPublicIpOnLaunch":
                subnet.MapPublicIpOnLaunch = value;
                break;
            case "AssignIpv6AddressOnCreation":
                if (value && subnet.Ipv6Cidrs.Count == 0)
                {
                    throw new AwsErrorException("InvalidParameterValue", $"The subnet '{subnet.Id}' has no IPv6 CIDR block; it cannot assign IPv6 addresses on creation.");
                }

                subnet.AssignIpv6AddressOnCreation = value;
                break;
            case "EnableDns64":
                subnet.EnableDns64 = value;
                break;
            case "EnableResourceNameDnsARecordOnLaunch":
                subnet.EnableResourceNameDnsARecord = value;
                break;
            default:
                subnet.EnableResourceNameDnsAaaaRecord = value;
                break;
        }

        return [True()];
    }

    private static IEnumerable<object?> AssociateSubnetCidrBlock(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "Ipv6IpamPoolId", "Ipv6NetmaskLength");
        var subnetId = p.Required("SubnetId");
        var block = r.AssociateSubnetCidrBlock(subnetId, p.Required("Ipv6CidrBlock"));
        return [E("subnetId", subnetId), E("ipv6CidrBlockAssociation", SubnetIpv6Association(block, "associating"))];
    }

    private static IEnumerable<object?> DisassociateSubnetCidrBlock(QueryParams p, Ec2Region r)
    {
        var (subnet, block) = r.DisassociateSubnetCidrBlock(p.Required("AssociationId"));
        return [E("subnetId", subnet.Id), E("ipv6CidrBlockAssociation", SubnetIpv6Association(block, "disassociating"))];
    }

    private static IEnumerable<object?> Vpc(Ec2Region r, VpcModel v, bool created = false) =>
    [
        E("vpcId", v.Id),
        E("ownerId", OwnerId),
        E("state", created ? "pending" : "available"),
        E("cidrBlock", v.Cidrs[0].Cidr),
        E("cidrBlockAssociationSet", v.Cidrs.Select(c => Item(CidrAssociation(c, c.State)))),
        E("ipv6CidrBlockAssociationSet", v.Ipv6Cidrs.Select(c => Item(Ipv6Association(r, c, created ? "associating" : c.State, withBlock: true)))),
        E("dhcpOptionsId", "dopt-00000000000000000"),
        E("instanceTenancy", v.InstanceTenancy),
        E("isDefault", Flag(v.IsDefault)),
        TagSet(r, v.Id),
    ];

    private static IEnumerable<object?> CidrAssociation(VpcCidr c, string state) =>
        [E("cidrBlock", c.Cidr), E("associationId", c.AssociationId), E("cidrBlockState", E("state", state))];

    private static IEnumerable<object?> Ipv6Association(Ec2Region r, VpcCidr c, string state, bool withBlock) =>
    [
        E("associationId", c.AssociationId),
        withBlock ? E("ipv6CidrBlock", c.Cidr) : null,
        E("ipv6CidrBlockState", E("state", state)),
        E("networkBorderGroup", r.Name),
        E("ipv6Pool", "Amazon"),
    ];

    private static IEnumerable<object?> SubnetIpv6Association(VpcCidr c, string state) =>
    [
        E("ipv6CidrBlock", c.Cidr),
        E("associationId", c.AssociationId),
        E("ipv6CidrBlockState", E("state", state)),
        E("ipv6AddressAttribute", "public"),
        E("ipSource", "amazon"),
    ];

    private static string SubnetArn(Ec2Region r, SubnetModel s) => $"arn:{AwsRegions.Partition(r.Name)}:ec2:{r.Name}:{OwnerId}:subnet/{s.Id}";

    private static IEnumerable<object?> Subnet(Ec2Region r, SubnetModel s, bool created = false) =>
    [
        E("subnetId", s.Id),
        E("subnetArn", SubnetArn(r, s)),
        E("state", created ? "pending" : "available"),
        E("vpcId", s.VpcId),
        E("cidrBlock", s.Cidr),
        E("availableIpAddressCount", Number(r.AvailableIpAddressCount(s))),
        E("availabilityZone", s.Zone.Name),
        E("availabilityZoneId", s.Zone.ZoneId),
        E("defaultForAz", Flag(s.DefaultForAz)),
        E("mapPublicIpOnLaunch", Flag(s.MapPublicIpOnLaunch)),
        E("mapCustomerOwnedIpOnLaunch", "false"),
        E("ownerId", OwnerId),
        E("assignIpv6AddressOnCreation", Flag(s.AssignIpv6AddressOnCreation)),
        E("ipv6CidrBlockAssociationSet", s.Ipv6Cidrs.Select(c => Item(SubnetIpv6Association(c, created ? "associating" : c.State)))),
        TagSet(r, s.Id),
        E("enableDns64", Flag(s.EnableDns64)),
        E("ipv6Native", "false"),
        E("privateDnsNameOptionsOnLaunch",
            E("hostnameType", s.HostnameType),
            E("enableResourceNameDnsARecord", Flag(s.EnableResourceNameDnsARecord)),
            E("enableResourceNameDnsAAAARecord", Flag(s.EnableResourceNameDnsAaaaRecord))),
    ];
}
