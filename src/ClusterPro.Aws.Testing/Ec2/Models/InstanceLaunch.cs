namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>What RunInstances launches: how many, from which image, with which key and network interfaces.</summary>
internal sealed record InstanceLaunch(IReadOnlyList<LaunchInterface> Interfaces)
{
    public int Count { get; init; } = 1;

    public string? ImageId { get; init; }

    public string? InstanceType { get; init; }

    public string? KeyName { get; init; }

    public bool DisableApiTermination { get; init; }

    public bool DisableApiStop { get; init; }

    /// <summary>Instances launched through the API start <c>pending</c>; the canonical scenario's start <c>running</c>.</summary>
    public bool Pending { get; init; }
}
