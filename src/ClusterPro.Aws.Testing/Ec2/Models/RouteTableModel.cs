namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>A route table: its routes and associations.</summary>
internal sealed class RouteTableModel
{
    public required string Id { get; init; }

    public required string VpcId { get; init; }

    public List<RouteModel> Routes { get; } = [];

    public List<RouteTableAssociationModel> Associations { get; } = [];
}
