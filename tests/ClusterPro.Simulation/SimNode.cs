using ClusterPro.Failover;
using ClusterPro.Monitoring;

namespace ClusterPro.Simulation;

/// <summary>The state of a simulated EC2 instance.</summary>
internal enum InstanceState
{
    Running,
    Stopping,
    Stopped,
}

/// <summary>One simulated machine: its instance, its process (the real decision core plus a model of the driver), its clock.</summary>
internal sealed class SimNode(string name, int index)
{
    public string Name { get; } = name;

    public int Index { get; } = index;

    public InstanceState Instance { get; set; } = InstanceState.Running;

    /// <summary>Whether the cluster process runs (it may still be paused).</summary>
    public bool ProcessUp { get; set; }

    /// <summary>Increases with every start and end of the process, so callbacks of an earlier run are dropped.</summary>
    public int Generation { get; set; }

    /// <summary>The process is frozen (a GC stall, a frozen VM) until this time.</summary>
    public long PausedUntil { get; set; }

    /// <summary>Inputs that arrived while the process was frozen, run in order when it resumes.</summary>
    public List<Action> Deferred { get; } = [];

    public FailoverCore? Core { get; set; }

    /// <summary>How far this node's wall clock is off.</summary>
    public long ClockOffsetMs { get; set; }

    /// <summary>How fast its monotonic clock runs wrong, in parts per million.</summary>
    public int MonotonicPpm { get; set; }

    /// <summary>How fast its wall clock runs wrong (a clock drifting without NTP), in parts per million, since <see cref="WallDriftSince"/>.</summary>
    public int WallPpm { get; set; }

    /// <summary>When the wall clock's drift began (what it drifted before is folded into <see cref="ClockOffsetMs"/>).</summary>
    public long WallDriftSince { get; set; }

    /// <summary>The decision loop runs up to this late (a busy machine): detection is staggered across nodes.</summary>
    public long TickJitterMs { get; set; }

    /// <summary>Releasing the VIP from the node's own interface fails until this time.</summary>
    public long ReleaseFailsUntil { get; set; }

    /// <summary>A stop of this instance takes longer than the fencing agent waits for, until this time.</summary>
    public long SlowStopUntil { get; set; }

    /// <summary>Activations on this node end with an exception (a plug-in's bug) until this time.</summary>
    public long EngineThrowsUntil { get; set; }

    /// <summary>When its clock last stepped.</summary>
    public long ClockSteppedAt { get; set; } = long.MinValue / 2;

    /// <summary>Faults that cut this node from AWS and its network-partition target.</summary>
    public int UplinkDown { get; set; }

    /// <summary>Extra latency on this node's AWS calls (a slow path to the endpoint).</summary>
    public long AwsLatencyMs { get; set; }

    /// <summary>In-flight group operations (activation, deactivation, reactivation) by effect id.</summary>
    public Dictionary<long, SimOperation> Operations { get; } = [];

    /// <summary>In-flight fences by effect id.</summary>
    public Dictionary<long, string> Fences { get; } = [];

    /// <summary>Per group, the resources active on this node (what the group engine knows).</summary>
    public Dictionary<string, bool[]> ActiveResources { get; } = [];

    /// <summary>Per group and resource, failovers requested since the last successful activation (the group engine's counters).</summary>
    public Dictionary<string, int[]> FailoverCounts { get; } = [];

    /// <summary>Per group, the application is broken on this node until this time.</summary>
    public Dictionary<string, long> AppBrokenUntil { get; } = [];

    /// <summary>Per group, the monitor's state.</summary>
    public Dictionary<string, MonitorModel> Monitors { get; } = [];

    /// <summary>When the process last started.</summary>
    public long StartedAt { get; set; }

    /// <summary>When the process or instance last went down (for the last-node rule).</summary>
    public long DownSince { get; set; } = -1;

    /// <summary>By peer: when a heartbeat of that peer last reached this node's core (a held-back one too).</summary>
    public Dictionary<string, long> HeardFrom { get; } = [];

    /// <summary>
    /// The operator's settings kept in the node's state directory (what the driver writes on every change and reads at
    /// start): null until the first change, like a state file not written yet.
    /// </summary>
    public (bool Standby, bool Maintenance, long Version)? StateFile { get; set; }

    /// <summary>When this node's standby (as its core has it) last changed.</summary>
    public long StandbyChangedAt { get; set; } = long.MinValue / 2;

    public bool Paused(long now) => PausedUntil > now;

    /// <summary>The process runs and its core has not left the cluster.</summary>
    public bool InCluster => ProcessUp && Core is { Mode: not NodeMode.Stopped };
}

/// <summary>A group operation the simulated driver is performing.</summary>
internal sealed class SimOperation(long id, string group, string kind)
{
    public long Id { get; } = id;

    public string Group { get; } = group;

    /// <summary>Activate, Deactivate or Reactivate.</summary>
    public string Kind { get; } = kind;

    public bool Cancelled { get; set; }

    public bool Done { get; set; }

    /// <summary>Ends the running resource step at once (its AWS call may still land later), as a cancelled resource does.</summary>
    public Action? Abort { get; set; }
}

/// <summary>A simulated monitor of one group on one node: drift of the AWS state, and the application's health.</summary>
internal sealed class MonitorModel(RecoveryOptions recovery)
{
    public RecoveryEscalation Escalation { get; } = new(recovery);

    public RecoveryOptions Recovery { get; } = recovery;

    public int Failures { get; set; }

    public bool Busy { get; set; }
}
