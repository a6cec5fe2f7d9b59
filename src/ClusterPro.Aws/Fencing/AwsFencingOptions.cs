using ClusterPro.Resources;

namespace ClusterPro.Aws.Fencing;

/// <summary>AWS forced stop (fencing): EC2 StopInstances with Force on the peer's instance.</summary>
public sealed class AwsFencingOptions : AwsResourceOptions
{
    /// <summary>Each node's EC2 instance ID (<c>i-…</c>).</summary>
    public PerNode<string> InstanceId { get; set; } = new();

    /// <summary>The longest wait for the peer to reach <c>stopped</c>. <value>Default: 120 s.</value></summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The first poll interval while waiting (doubling up to 10 s, so polling does not trip API throttling). <value>Default: 1 s.</value></summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
