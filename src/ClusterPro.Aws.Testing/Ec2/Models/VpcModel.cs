namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>A VPC: its CIDR blocks, main route table, default security group and attributes.</summary>
internal sealed class VpcModel
{
    public required string Id { get; init; }

    /// <summary>The IPv4 blocks; the first is the primary one.</summary>
    public List<VpcCidr> Cidrs { get; } = [];

    /// <summary>Amazon-provided IPv6 /56 blocks.</summary>
    public List<VpcCidr> Ipv6Cidrs { get; } = [];

    public string? MainRouteTableId { get; set; }

    public string? DefaultSecurityGroupId { get; set; }

    /// <summary>The region's default VPC (172.31.0.0/16, one default subnet per zone, an internet gateway).</summary>
    public bool IsDefault { get; set; }

    public string InstanceTenancy { get; init; } = "default";

    public bool EnableDnsSupport { get; set; } = true;

    public bool EnableDnsHostnames { get; set; }

    public bool EnableNetworkAddressUsageMetrics { get; set; }
}
