namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>One CIDR block associated with a VPC (IPv4, or an Amazon-provided IPv6 /56) or a subnet (IPv6 /64).</summary>
internal sealed class VpcCidr
{
    public required string AssociationId { get; init; }

    public required string Cidr { get; init; }

    public string State { get; set; } = "associated";
}
