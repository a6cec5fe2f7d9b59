namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>A VPC security group (rules are not modelled).</summary>
internal sealed class SecurityGroupModel
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    public required string VpcId { get; init; }

    public bool IsDefault { get; init; }
}
