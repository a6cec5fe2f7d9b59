namespace ClusterPro.Aws.DependencyInjection;

/// <summary>How a node manages OS addresses (<c>ClusterPro:HostAddresses:{node}</c>).</summary>
public sealed class HostAddressOptions
{
    /// <summary><c>linux</c> (iproute2), <c>none</c> (leave the OS alone) or <c>memory</c> (tests and demos). <value>Default: <c>linux</c>.</value></summary>
    public string Kind { get; set; } = "linux";

    /// <summary>A network namespace to act in (linux only): a name as <c>ip netns list</c> shows it, checked at start-up.</summary>
    public string? Namespace { get; set; }
}
