namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>A subnet: its CIDR blocks, zone and the attributes ModifySubnetAttribute sets.</summary>
internal sealed class SubnetModel
{
    public required string Id { get; init; }

    public required string VpcId { get; init; }

    public required string Cidr { get; init; }

    public required ZoneModel Zone { get; init; }

    /// <summary>Its IPv6 /64 blocks (at most one).</summary>
    public List<VpcCidr> Ipv6Cidrs { get; } = [];

    public int NextHost { get; set; } = 10;

    public long NextIpv6Host { get; set; } = 16;

    public bool DefaultForAz { get; set; }

    public bool MapPublicIpOnLaunch { get; set; }

    public bool AssignIpv6AddressOnCreation { get; set; }

    public bool EnableDns64 { get; set; }

    public string HostnameType { get; set; } = "ip-name";

    public bool EnableResourceNameDnsARecord { get; set; }

    public bool EnableResourceNameDnsAaaaRecord { get; set; }
}
