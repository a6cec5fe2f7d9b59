namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>An availability zone and its state (drift can impair it).</summary>
internal sealed class ZoneModel
{
    public required string Name { get; init; }

    public required string ZoneId { get; init; }

    public string State { get; set; } = "available";
}
