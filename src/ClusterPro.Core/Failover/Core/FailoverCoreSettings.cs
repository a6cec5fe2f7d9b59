namespace ClusterPro.Failover;

/// <summary>A group as the decision core sees it.</summary>
/// <param name="Name">The group.</param>
/// <param name="Nodes">The nodes that may run it, in priority order.</param>
/// <param name="AutoStart">Start it when the cluster starts.</param>
/// <param name="AutoFailover">Take it over when its holder is lost.</param>
/// <param name="AutoFailback">Move it back to a higher-priority node that returns.</param>
internal sealed record CoreGroupSettings(string Name, IReadOnlyList<string> Nodes, bool AutoStart = true, bool AutoFailover = true, bool AutoFailback = false);

/// <summary>Everything the decision core of one node is configured with (no I/O, no clock).</summary>
internal sealed record FailoverCoreSettings
{
    /// <summary>This node.</summary>
    public required string Self { get; init; }

    /// <summary>Every node in priority order (the first is the master).</summary>
    public required IReadOnlyList<string> Nodes { get; init; }

    /// <summary>Every group of the cluster.</summary>
    public required IReadOnlyList<CoreGroupSettings> Groups { get; init; }

    /// <summary>Time between heartbeats.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence after which a peer is lost.</summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Heartbeats whose sender's clock differs from ours by more are dropped.</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to listen for peers before starting groups.</summary>
    public TimeSpan StartupWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long any node but the master waits before fencing.</summary>
    public TimeSpan FenceDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first wait before fencing again after a failed fence (doubling up to <see cref="FenceRetryMax"/>).</summary>
    public TimeSpan FenceRetryMin { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between fencing attempts.</summary>
    public TimeSpan FenceRetryMax { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a fencing agent is configured.</summary>
    public bool FencingConfigured { get; init; }

    /// <summary>Whether any network-partition resolver is configured.</summary>
    public bool ResolversConfigured { get; init; }

    /// <summary>How many probes in a row must fail before this node counts itself isolated.</summary>
    public int ProbeAttempts { get; init; } = 3;

    /// <summary>The wait between failed probes.</summary>
    public TimeSpan ProbeRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Decide splits of three or more nodes by majority.</summary>
    public bool UseMajority { get; init; } = true;

    /// <summary>The final action when this node finds itself isolated.</summary>
    public FinalAction PartitionAction { get; init; } = FinalAction.StopClusterServiceAndShutdownOs;

    /// <summary>Whether a witness holds one lease per group (then a group is activated only while its lease is held).</summary>
    public bool Witness { get; init; }

    /// <summary>How long a lease lasts without renewal.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The bound on one witness call.</summary>
    public TimeSpan LeaseCallTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the owner renews (and a would-be owner reads) a lease.</summary>
    public TimeSpan LeaseRenewInterval => LeaseDuration / 3;

    /// <summary>
    /// How long before a lease could run out, as another node would judge it, the owner starts releasing: the witness
    /// call's own bound plus a heartbeat interval for the decision to be taken.
    /// </summary>
    public TimeSpan LeaseSafetyMargin => LeaseCallTimeout + HeartbeatInterval;

    /// <summary>How long a group must stay without an owner before a node adopts it (so every node's view settles first).</summary>
    public TimeSpan OrphanGrace => 2 * HeartbeatInterval;

    /// <summary>How long a returning higher-priority node must have been running before a group fails back to it.</summary>
    public TimeSpan FailbackSettle => 2 * HeartbeatTimeout;
}
