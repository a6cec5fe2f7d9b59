namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>An internet gateway and the VPC it is attached to.</summary>
internal sealed class InternetGatewayModel
{
    public required string Id { get; init; }

    public string? VpcId { get; set; }
}
