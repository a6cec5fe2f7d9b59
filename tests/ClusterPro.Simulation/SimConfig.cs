using ClusterPro.Failover;

namespace ClusterPro.Simulation;

/// <summary>A group in a simulated cluster: the nodes that may run it, in priority order, and its route tables.</summary>
/// <param name="Name">The group.</param>
/// <param name="Nodes">Its nodes in priority order.</param>
/// <param name="RouteTables">How many route tables hold its VIP.</param>
/// <param name="AutoFailback">Whether it moves back to a returning higher-priority node.</param>
/// <param name="AutoStart">Whether it starts with the cluster (off: it stays down, and liveness does not apply to it).</param>
/// <param name="AutoFailover">Whether it is taken over when its holder is lost (off: it may stay down after a loss).</param>
internal sealed record SimGroup(string Name, string[] Nodes, int RouteTables, bool AutoFailback, bool AutoStart = true, bool AutoFailover = true)
{
    /// <summary>Whether every group of this kind must always come back on its own (liveness applies).</summary>
    public bool MustRun => AutoStart && AutoFailover;
}

/// <summary>The shape and timing of one simulated cluster, drawn from the history's seed.</summary>
internal sealed record SimConfig
{
    public required string[] Nodes { get; init; }

    public required SimGroup[] Groups { get; init; }

    public bool Fencing { get; init; } = true;

    public bool Majority { get; init; } = true;

    /// <summary>Whether a network-partition resolver is configured (off: a lost peer is decided on heartbeats alone).</summary>
    public bool Resolvers { get; init; } = true;

    /// <summary>Each node's extra latency on its AWS calls (a slow path to the endpoint), or null for none.</summary>
    public long[]? AwsLatencyMs { get; init; }

    /// <summary>Each node's decision-loop lag: a tick runs up to this late (detection staggered across nodes), or null for none.</summary>
    public long[]? TickJitterMs { get; init; }

    /// <summary>Each node's monotonic clock rate error in parts per million (drift), or null for none.</summary>
    public int[]? ClockDriftPpm { get; init; }

    /// <summary>The final action when a resource still fails to activate after its failover (None, or StopGroup).</summary>
    public FinalAction ActivationFinalAction { get; init; } = FinalAction.None;

    /// <summary>The final action when releasing a resource fails (the resource's deactivation final action).</summary>
    public FinalAction ReleaseFinalAction { get; init; } = FinalAction.StopClusterServiceAndShutdownOs;

    /// <summary>Whether a witness (a simulated DynamoDB table) holds one lease per group.</summary>
    public bool Witness { get; init; }

    public long LeaseDurationMs { get; init; } = 10_000;

    public long LeaseCallTimeoutMs { get; init; } = 2000;

    public long IntervalMs { get; init; } = 1000;

    public long TimeoutMs { get; init; } = 5000;

    public long StartupWaitMs { get; init; } = 5000;

    public long FenceDelayMs { get; init; } = 5000;

    public long MaxClockSkewMs { get; init; } = 30_000;

    /// <summary>Bound on one AWS call.</summary>
    public long AwsCallTimeoutMs { get; init; } = 3000;

    /// <summary>Bound on one resource's activation or deactivation (longer than three AWS calls).</summary>
    public long ResourceTimeoutMs { get; init; } = 10_000;

    public long ProbeTimeoutMs { get; init; } = 3000;

    public int ProbeAttempts { get; init; } = 3;

    public long ProbeRetryMs { get; init; } = 1000;

    /// <summary>The quickest answer of a network-partition probe that reaches its target.</summary>
    public long ProbeAnswerMinMs { get; init; } = 20;

    /// <summary>The slowest answer of a network-partition probe that reaches its target.</summary>
    public long ProbeAnswerMaxMs { get; init; } = 300;

    /// <summary>When each node's process starts (and so the phase of its heartbeats); drawn at random when null.</summary>
    public long[]? StartAtMs { get; init; }

    public long MonitorIntervalMs { get; init; } = 3000;

    public int MonitorRetryCount { get; init; } = 1;

    /// <summary>The final action of the application monitor once reactivation and failover are used up.</summary>
    public FinalAction AppMonitorFinalAction { get; init; } = FinalAction.None;

    public FinalAction PartitionAction { get; init; } = FinalAction.StopClusterServiceAndShutdownOs;

    /// <summary>How long an instance takes to stop (a forced stop is quicker).</summary>
    public long InstanceStopMs { get; init; } = 4000;

    public long FenceStopTimeoutMs { get; init; } = 20_000;

    public long FencePollMs { get; init; } = 500;

    /// <summary>Faults are injected from the start until this time.</summary>
    public long FaultPhaseMs { get; init; } = 200_000;

    public int Faults { get; init; } = 20;

    /// <summary>Whether random faults are drawn (false for scripted scenarios).</summary>
    public bool RandomFaults { get; init; } = true;

    /// <summary>Whether the history ends with a quiet period and a liveness check.</summary>
    public bool CheckLiveness { get; init; } = true;

    /// <summary>A split of two nodes without fencing (or of any size without majority and fencing) can leave two owners while the sides cannot hear each other; start-up warns about it.</summary>
    public bool SplitBrainWarned => !Fencing && !Witness && (Nodes.Length == 2 || !Majority);

    /// <summary>The longest a probe round takes before the node counts itself isolated.</summary>
    public long ProbeBoundMs => ProbeAttempts * (ProbeTimeoutMs + ProbeRetryMs);

    /// <summary>The longest a group activation or deactivation takes (three resources at their timeout).</summary>
    public long OperationBoundMs => 3 * ResourceTimeoutMs;

    /// <summary>The longest a fence takes: the delay, the calls, the stop poll, and one retry.</summary>
    public long FenceBoundMs => FenceDelayMs + (2 * (FenceStopTimeoutMs + (3 * AwsCallTimeoutMs))) + 4000;

    /// <summary>The longest one AWS call of a node takes while AWS is healthy (the node's own latency included).</summary>
    public long HealthyCallMs => 80 + (AwsLatencyMs?.Max() ?? 0);

    /// <summary>
    /// The liveness bound: once a majority (or, without majority, any node) runs, hears its peers and reaches AWS — and
    /// after the last fault heals, once the operators have started every instance and service again — every group that
    /// starts and fails over by itself has exactly one owner, with AWS pointing at it, within this long. Derived from the
    /// settings: a restart (instance and process start, the start-up wait), the loss of the old owner (the heartbeat
    /// timeout, the settle time of a verdict), the probes, a fence with one retry, an operation still running from
    /// before (each resource at its timeout) plus a release and an activation on healthy AWS, the monitors' recovery
    /// ladder, the lease (twice, with a renewal), a backoff of the fence or activation retries, and a failback.
    /// </summary>
    public long LivenessBoundMs =>
        (StartupWaitMs + 8000)
        + (2 * TimeoutMs) + IntervalMs
        + (Resolvers ? ProbeBoundMs : 0)
        + (Fencing ? FenceBoundMs : 0)
        + OperationBoundMs + (2 * 3 * 2 * HealthyCallMs)
        + ((MonitorRetryCount + 1) * MonitorIntervalMs * 4)
        + (Witness ? (2 * LeaseDurationMs) + (LeaseDurationMs / 3) + LeaseCallTimeoutMs : 0)
        + 8000
        + (2 * TimeoutMs) + IntervalMs;

    /// <summary>How long every group must stay settled before a quiet period ends early.</summary>
    public long StableMs => (3 * TimeoutMs) + (3 * MonitorIntervalMs);

    /// <summary>Long enough after all faults for any group to settle on one node (the liveness bound, then stable).</summary>
    public long QuietMs => LivenessBoundMs + StableMs + (2 * IntervalMs);

    /// <summary>The decision core's settings for one node.</summary>
    /// <param name="self">The node.</param>
    /// <returns>The settings.</returns>
    public FailoverCoreSettings CoreSettings(string self) => new()
    {
        Self = self,
        Nodes = Nodes,
        Groups = [.. Groups.Select(g => new CoreGroupSettings(g.Name, g.Nodes, g.AutoStart, g.AutoFailover, g.AutoFailback))],
        HeartbeatInterval = TimeSpan.FromMilliseconds(IntervalMs),
        HeartbeatTimeout = TimeSpan.FromMilliseconds(TimeoutMs),
        MaxClockSkew = TimeSpan.FromMilliseconds(MaxClockSkewMs),
        StartupWait = TimeSpan.FromMilliseconds(StartupWaitMs),
        FenceDelay = TimeSpan.FromMilliseconds(FenceDelayMs),
        FenceRetryMin = TimeSpan.FromSeconds(1),
        FenceRetryMax = TimeSpan.FromSeconds(8),
        FencingConfigured = Fencing,
        ResolversConfigured = Resolvers,
        ProbeAttempts = ProbeAttempts,
        ProbeRetryInterval = TimeSpan.FromMilliseconds(ProbeRetryMs),
        UseMajority = Majority,
        PartitionAction = PartitionAction,
        Witness = Witness,
        LeaseDuration = TimeSpan.FromMilliseconds(LeaseDurationMs),
        LeaseCallTimeout = TimeSpan.FromMilliseconds(LeaseCallTimeoutMs),
    };

    /// <summary>A random cluster: 2–5 nodes, 1–3 groups over random node lists, random timing, fencing mostly on.</summary>
    /// <param name="w">The history's world.</param>
    /// <returns>The configuration.</returns>
    public static SimConfig Random(World w)
    {
        var count = (int)w.Between(2, 5);
        var nodes = Enumerable.Range(1, count).Select(i => $"node{i}").ToArray();
        var groups = new SimGroup[(int)w.Between(1, 3)];
        for (var i = 0; i < groups.Length; i++)
        {
            // Each group runs on a random subset of at least two nodes, in a random priority order.
            var members = nodes.OrderBy(_ => w.Rng.Next()).Take((int)w.Between(2, count)).ToArray();
            if (w.Chance(0.5))
            {
                members = [.. members.OrderBy(n => Array.IndexOf(nodes, n))];
            }

            groups[i] = new SimGroup($"failover{i + 1}", members, (int)w.Between(1, 4), w.Chance(0.2), AutoStart: !w.Chance(0.04), AutoFailover: !w.Chance(0.12));
        }

        var interval = w.Pick(new long[] { 250, 500, 1000 });
        var timeout = interval * w.Between(3, 6);
        var witness = w.Chance(0.4);
        var leaseCall = w.Between(500, 2500);
        var awsCall = w.Between(1000, 4000);
        long[]? latency = w.Chance(0.4) ? [.. nodes.Select(_ => w.Chance(0.5) ? w.Between(50, Math.Min(awsCall, witness ? leaseCall : awsCall) / 3) : 0)] : null;

        // The fence delay covers what separates two nodes' fences when they lose each other at once: their detection (an
        // interval of heartbeat phase, and a decision tick), the other's NP answer and its two fencing calls.
        var fenceFloor = (2 * interval) + 300 + (2 * (80 + (latency?.Max() ?? 0))) + 200;
        return new SimConfig
        {
            Nodes = nodes,
            Groups = groups,
            Resolvers = !w.Chance(0.15),
            AwsLatencyMs = latency,
            TickJitterMs = w.Chance(0.5) ? [.. nodes.Select(_ => w.Between(0, interval / 2))] : null,
            ClockDriftPpm = w.Chance(0.5) ? [.. nodes.Select(_ => (int)w.Between(-1000, 1000))] : null,
            ReleaseFinalAction = w.Chance(0.3) ? FinalAction.None : FinalAction.StopClusterServiceAndShutdownOs,
            ActivationFinalAction = w.Chance(0.2) ? FinalAction.StopGroup : FinalAction.None,
            Fencing = w.Chance(witness ? 0.5 : 0.7),
            Majority = w.Chance(0.8),
            Witness = witness,
            LeaseCallTimeoutMs = leaseCall,
            LeaseDurationMs = Math.Max(w.Between(3000, 15_000), (3 * leaseCall) + (3 * interval) + 500),
            IntervalMs = interval,
            TimeoutMs = timeout,
            StartupWaitMs = timeout,
            FenceDelayMs = w.Between(Math.Max(timeout / 2, fenceFloor), Math.Max(2 * timeout, fenceFloor)),
            AwsCallTimeoutMs = awsCall,
            ResourceTimeoutMs = w.Between(4000, 12_000),
            ProbeTimeoutMs = w.Between(1000, 4000),
            ProbeAttempts = (int)w.Between(1, 3),
            MonitorIntervalMs = w.Between(1000, 5000),
            MonitorRetryCount = (int)w.Between(0, 2),
            AppMonitorFinalAction = w.Pick(new[] { FinalAction.None, FinalAction.None, FinalAction.StopGroup, FinalAction.StopClusterService, FinalAction.StopClusterServiceAndRebootOs }),
            PartitionAction = w.Pick(new[] { FinalAction.StopClusterServiceAndShutdownOs, FinalAction.StopClusterServiceAndRebootOs, FinalAction.StopClusterService }),
            InstanceStopMs = w.Between(500, 8000),
            FencePollMs = w.Between(200, 1000),
            FenceStopTimeoutMs = w.Between(10_000, 30_000),
            Faults = (int)w.Between(20, 40),
        };
    }
}
