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

    /// <summary>
    /// The node this process runs when the node is hosted (<c>AddFailoverManager</c>): one of <see cref="Nodes"/>.
    /// Empty: the node is found from the machine's own identity when a resolver is registered (on EC2: the instance ID,
    /// <c>AddNodeFromInstanceMetadata</c> in ClusterPro.Aws).
    /// </summary>
    public string? Node { get; set; }

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

    /// <summary>The witness: one lease per group in a strongly consistent store (off unless its type is set).</summary>
    public Witness.WitnessOptions Witness { get; } = new();

    /// <summary>The node names in priority order.</summary>
    public IReadOnlyList<string> NodeNames => Nodes.Select(n => n.Name).ToList();

    /// <summary>The group that holds <paramref name="resourceName"/>, or <see langword="null"/>.</summary>
    /// <param name="resourceName">The resource name.</param>
    /// <returns>The group name.</returns>
    public string? FindGroupOf(string resourceName) =>
        Groups.FirstOrDefault(g => g.Value.FindResource(resourceName) is not null).Key;

    /// <summary>
    /// Says when this configuration can put a group on two nodes at once: two nodes (or majority turned off) with
    /// neither fencing nor a witness, so that two nodes that cannot hear each other but both reach the
    /// network-partition target both take the groups. Logged as a warning when a node starts, and reported by preflight
    /// checks.
    /// </summary>
    /// <param name="fencingConfigured">Whether a fencing agent is registered.</param>
    /// <returns>The risk and its fixes in one sentence, or <see langword="null"/> when there is none.</returns>
    public string? DescribeSplitBrainRisk(bool fencingConfigured)
    {
        if (fencingConfigured || Witness.Enabled || Nodes.Count < 2 || (Nodes.Count >= 3 && Failover.UseMajority))
        {
            return null;
        }

        var shape = Nodes.Count == 2 ? "Two nodes" : $"{Nodes.Count} nodes with {SectionName}:Failover:UseMajority off";
        return $"{shape}, no fencing and no witness: if the nodes cannot hear each other but both reach the network-partition target, both activate the groups (split brain) until they hear each other again. "
            + $"Configure a witness ({SectionName}:Witness, a DynamoDB table holding one lease per group), or fencing ({SectionName}:Fencing, which stops the lost node's instance before taking over), or run three or more nodes with {SectionName}:Failover:UseMajority on.";
    }

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

    /// <summary>
    /// How many probes in a row must all fail before a node counts itself isolated and steps down (one lost packet or a
    /// slow answer is not isolation). <value>Default: 3 (range 1–10).</value>
    /// </summary>
    public int Attempts { get; set; } = 3;

    /// <summary>The wait between failed probes. <value>Default: 1 s.</value></summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);
}
