namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>One network interface of a launch: an existing one, or a new one from <see cref="Spec"/>.</summary>
internal sealed record LaunchInterface(int DeviceIndex)
{
    public string? NetworkInterfaceId { get; init; }

    public InterfaceSpec? Spec { get; init; }

    public bool? AssociatePublicIp { get; init; }

    public bool DeleteOnTermination { get; init; } = true;
}
