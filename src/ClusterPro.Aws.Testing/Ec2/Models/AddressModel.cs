namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>An Elastic IP address and what it is associated with.</summary>
internal sealed class AddressModel
{
    public required string AllocationId { get; init; }

    public required string PublicIp { get; init; }

    public string? AssociationId { get; set; }

    public string? NetworkInterfaceId { get; set; }

    public string? PrivateIp { get; set; }
}
