namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>A route table's association: with a subnet, or the VPC's main association.</summary>
internal sealed class RouteTableAssociationModel
{
    public required string Id { get; init; }

    public string? SubnetId { get; init; }

    public bool Main { get; init; }
}
