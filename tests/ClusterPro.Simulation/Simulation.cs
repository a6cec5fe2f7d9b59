using System.Globalization;
using System.Text;
using ClusterPro.Failover;
using ClusterPro.Groups;

namespace ClusterPro.Simulation;

/// <summary>What one history found.</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Violations">Each invariant broken, with when and why (empty when none).</param>
/// <param name="Steps">Events simulated.</param>
/// <param name="SimulatedMs">Simulated time.</param>
/// <param name="Faults">Faults injected.</param>
/// <param name="Config">The cluster that was simulated.</param>
/// <param name="Timeline">The history as a timeline, when recorded.</param>
/// <param name="SettleRatio">How long after the last fault healed every group settled, as a share of the liveness bound (-1: not measured).</param>
/// <param name="OwnerlessRatio">The longest a group went without an owner while a healthy majority was up, as a share of the liveness bound.</param>
/// <param name="SplitRatio">The longest two holders of a group lasted without fencing or witness, as a share of the split bound.</param>
internal sealed record HistoryResult(int Seed, IReadOnlyList<string> Violations, long Steps, long SimulatedMs, int Faults, SimConfig Config, string? Timeline, double SettleRatio = -1, double OwnerlessRatio = 0, double SplitRatio = 0);

/// <summary>
/// One simulated history: a cluster of real <see cref="FailoverCore"/>s, each driven by a model of the real driver
/// (heartbeats on their own timer, effects performed off the decision path and fed back, one operation per group,
/// timeouts that cancel), against a simulated network, AWS and clock, with faults drawn from the seed. Invariants are
/// checked after every event.
/// </summary>
internal sealed partial class Simulation
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
    private readonly World _w;
    private readonly SimConfig _c;
    private readonly SimNode[] _nodes;
    private readonly Dictionary<string, SimNode> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly SimNetwork _net;
    private readonly SimAws _aws;
    private readonly List<string> _violations = [];
    private readonly StringBuilder? _timeline;
    private readonly Dictionary<string, long> _dualSince = [];
    private readonly long[] _awsRestoredAt;
    private readonly HeartbeatMessage?[,] _lastSent;
    private int _faults;
    private bool _quiet;
    private bool _converged;
    private bool _dirty = true;
    private long _convergedSince = -1;
    private long _end;

    public Simulation(int seed, SimConfig? config = null, bool record = false)
    {
        Seed = seed;
        _w = new World(seed);
        _w.Dispatch = Dispatch;
        _c = config ?? SimConfig.Random(_w);
        _nodes = _c.Nodes.Select((n, i) => new SimNode(n, i)).ToArray();
        foreach (var n in _nodes)
        {
            _byName[n.Name] = n;
            n.AwsLatencyMs = _c.AwsLatencyMs?[n.Index] ?? 0;
            n.TickJitterMs = _c.TickJitterMs?[n.Index] ?? 0;
            n.MonotonicPpm = _c.ClockDriftPpm?[n.Index] ?? 0;
        }

        _net = new SimNetwork(_nodes.Length);
        _awsRestoredAt = new long[_nodes.Length];
        _lastSent = new HeartbeatMessage?[_nodes.Length, _nodes.Length];
        _aws = new SimAws(_c);
        _timeline = record ? new StringBuilder() : null;
    }

    public int Seed { get; }

    public SimConfig Config => _c;

    /// <summary>Scripted faults, for named scenarios: (time, action) pairs run besides (or instead of) random ones.</summary>
    public List<(long At, Action<Simulation> Action)> Script { get; } = [];

    /// <summary>Extra checks a scenario makes at the end.</summary>
    public List<Func<Simulation, string?>> FinalChecks { get; } = [];

    public World World => _w;

    public SimAws Aws => _aws;

    public SimNetwork Network => _net;

    public SimNode Node(string name) => _byName[name];

    /// <summary>The node whose core has the group active, or null (none, or more than one).</summary>
    /// <param name="group">The group.</param>
    /// <returns>The node's name.</returns>
    public string? HolderOf(string group)
    {
        var active = _nodes.Where(n => n.ProcessUp && n.Core!.LocalState(group) == GroupClaimState.Active).ToList();
        return active.Count == 1 ? active[0].Name : null;
    }

    public IReadOnlyList<SimNode> Nodes => _nodes;

    /// <summary>Called for every event a core emits (a scenario's trigger: "when node1 takes the lease, freeze it").</summary>
    public Action<Simulation, SimNode, FailoverEvent>? OnEvent { get; set; }

    /// <summary>Called when a node's driver starts a group operation (a scenario's trigger: "as node3 starts activating, ...").</summary>
    public Action<Simulation, SimNode, SimOperation>? OnOperation { get; set; }

    /// <summary>The effects each node asked for, when a scenario wants to check them.</summary>
    public List<(long At, string Node, FailoverEvent Event)> Events { get; } = [];

    /// <summary>Runs the history and checks it.</summary>
    /// <returns>What it found.</returns>
    public HistoryResult Run()
    {
        Note("cluster", Describe());
        foreach (var n in _nodes)
        {
            var node = n;
            _w.After(_c.StartAtMs is { } startAt ? startAt[n.Index] : _w.Between(0, _c.IntervalMs * 2), () => StartProcess(node));
        }

        if (_c.RandomFaults)
        {
            for (var i = 0; i < _c.Faults; i++)
            {
                var at = _w.Between(_c.StartupWaitMs + 2000, _c.FaultPhaseMs - 5000);
                _w.At(at, InjectRandomFault);
            }
        }

        foreach (var (at, action) in Script)
        {
            var a = action;
            _w.At(at, () => a(this));
        }

        _w.At(_c.StartupWaitMs, WatchMajority);
        _end = _c.FaultPhaseMs + (_c.CheckLiveness ? _c.QuietMs : 0);
        if (_c.CheckLiveness)
        {
            _w.At(_c.FaultPhaseMs, BeginQuiet);
        }

        while (_w.Step(_end) && _violations.Count < 5 && !_converged)
        {
            CheckSafety();
        }

        if (_violations.Count == 0 && _c.CheckLiveness)
        {
            CheckLiveness();
        }

        foreach (var check in FinalChecks)
        {
            if (check(this) is { } failure)
            {
                Violation(failure);
            }
        }

        return new HistoryResult(Seed, _violations, _w.Steps, _w.Now, _faults, _c, _timeline?.ToString(), SettleRatio, OwnerlessRatio, SplitRatio);
    }

    private string Describe()
    {
        var groups = string.Join("; ", _c.Groups.Select(g => $"{g.Name} on {string.Join(">", g.Nodes)} ({g.RouteTables} route tables{(g.AutoFailback ? ", failback" : string.Empty)}{(g.AutoStart ? string.Empty : ", no auto-start")}{(g.AutoFailover ? string.Empty : ", no auto-failover")})"));
        var latency = _c.AwsLatencyMs is { } l ? $", AWS latency [{string.Join(",", l)}] ms" : string.Empty;
        var jitter = _c.TickJitterMs is { } j ? $", decision lag [{string.Join(",", j)}] ms" : string.Empty;
        var drift = _c.ClockDriftPpm is { } d ? $", clock drift [{string.Join(",", d)}] ppm" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{_c.Nodes.Length} nodes, fencing {(_c.Fencing ? "on" : "off")}, majority {(_c.Majority ? "on" : "off")}, NP {(_c.Resolvers ? "on" : "off")}, release failure {_c.ReleaseFinalAction}{latency}{jitter}{drift}, witness {(_c.Witness ? $"on (lease {_c.LeaseDurationMs} ms, call {_c.LeaseCallTimeoutMs} ms)" : "off")}, heartbeat {_c.IntervalMs}/{_c.TimeoutMs} ms, AWS call timeout {_c.AwsCallTimeoutMs} ms, resource timeout {_c.ResourceTimeoutMs} ms, NP {_c.ProbeAttempts}×{_c.ProbeTimeoutMs} ms; {groups}");
    }

    internal void Note(string who, string what)
    {
        _timeline?.Append(CultureInfo.InvariantCulture, $"{_w.Now / 1000.0,9:0.000} s  {who,-8} {what}").Append('\n');
    }

    /// <summary>A scenario's own check failed as it ran.</summary>
    /// <param name="what">What went wrong.</param>
    public void Fail(string what) => Violation(what);

    private void Violation(string what)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"at {_w.Now / 1000.0:0.000} s: {what}");
        _violations.Add(line);
        Note("VIOLATION", what);
    }

    /// <summary>The node's clocks: a monotonic one that runs at its own (slightly wrong) rate, and a wall clock that may step and drift.</summary>
    private CoreTime Time(SimNode n)
    {
        var now = _w.Now;
        var monotonic = now + (now * n.MonotonicPpm / 1_000_000);
        var wall = now + n.ClockOffsetMs + ((now - n.WallDriftSince) * n.WallPpm / 1_000_000);
        return new(TimeSpan.FromMilliseconds(monotonic), Epoch.AddMilliseconds(wall));
    }

    /// <summary>Sets how fast a node's wall clock drifts from now on (what it drifted so far stays).</summary>
    private void SetWallDrift(SimNode n, int ppm)
    {
        n.ClockOffsetMs += (_w.Now - n.WallDriftSince) * n.WallPpm / 1_000_000;
        n.WallDriftSince = _w.Now;
        n.WallPpm = ppm;
    }

    private bool ReachesAws(SimNode n) => n.UplinkDown == 0 && _aws.Outage == 0;
}
