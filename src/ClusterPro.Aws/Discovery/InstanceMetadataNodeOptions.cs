using ClusterPro.Resources;

namespace ClusterPro.Aws.Discovery;

/// <summary>How a node finds which cluster node it is from its instance metadata (<c>ClusterPro:NodeIdentity</c>, <c>Type</c> <c>imds</c>).</summary>
public sealed class InstanceMetadataNodeOptions
{
    /// <summary>Each node's EC2 instance ID (<c>i-…</c>). <value>Default: empty: the instance IDs of <c>ClusterPro:Fencing:InstanceId</c>.</value></summary>
    public PerNode<string> InstanceId { get; set; } = new();

    /// <summary>The instance metadata service (endpoint, timeouts).</summary>
    public InstanceMetadataOptions Metadata { get; set; } = new();
}
