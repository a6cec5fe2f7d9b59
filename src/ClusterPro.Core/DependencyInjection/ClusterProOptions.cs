using ClusterPro.Failover;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Partition;

namespace ClusterPro.DependencyInjection;

/// <summary>A cluster node (server).</summary>
public sealed class NodeOptions
{
    /// <summary>The node name (e.g. <c>node1</c>); per-node settings are keyed by it.</summary>
    public string Name { get; set; } = string.Empty;
}

/// <summary>
/// The cluster: nodes in priority order (the first is the master), failover groups with their resources,
/// and monitors. Bound from the <c>ClusterPro</c> configuration section; resource and monitor
/// implementations are registered in code under the same names.
/// </summary>
public sealed class ClusterProOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "ClusterPro";

    /// <summary>The nodes in priority order (the first is the master node).</summary>
    public IList<NodeOptions> Nodes { get; } = new List<NodeOptions>();

    /// <summary>Failover groups keyed by name.</summary>
    public IDictionary<string, GroupOptions> Groups { get; } = new Dictionary<string, GroupOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Monitors keyed by name.</summary>
    public IDictionary<string, MonitorOptions> Monitors { get; } = new Dictionary<string, MonitorOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Heartbeats between the nodes (interval, timeout, shared key, endpoints).</summary>
    public HeartbeatOptions Heartbeat { get; } = new();

    /// <summary>Network-partition resolution.</summary>
    public NetworkPartitionOptions NetworkPartition { get; } = new();

    /// <summary>The failover manager (start-up wait, fence delay, action on isolation).</summary>
    public FailoverManagerOptions Failover { get; } = new();

    /// <summary>The node names in priority order.</summary>
    public IReadOnlyList<string> NodeNames => Nodes.Select(n => n.Name).ToList();

    /// <summary>The group that holds <paramref name="resourceName"/>, or <see langword="null"/>.</summary>
    /// <param name="resourceName">The resource name.</param>
    /// <returns>The group name.</returns>
    public string? FindGroupOf(string resourceName) =>
        Groups.FirstOrDefault(g => g.Value.FindResource(resourceName) is not null).Key;

    /// <summary>Adds the node if it is not there yet (fluent, for code-first setup).</summary>
    /// <param name="name">The node name.</param>
    /// <returns>This instance.</returns>
    public ClusterProOptions AddNode(string name)
    {
        if (!Nodes.Any(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            Nodes.Add(new NodeOptions { Name = name });
        }

        return this;
    }
}

/// <summary>Network-partition resolvers: reachable when any of them reaches its target.</summary>
public sealed class NetworkPartitionOptions
{
    /// <summary>HTTP targets (HEAD; 200 means reachable).</summary>
    public IList<HttpPartitionResolverOptions> Http { get; } = new List<HttpPartitionResolverOptions>();

    /// <summary>Ping targets (ICMP echo; any answer means reachable).</summary>
    public IList<string> Ping { get; } = new List<string>();

    /// <summary>Bound on each ping. <value>Default: 3 s.</value></summary>
    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
