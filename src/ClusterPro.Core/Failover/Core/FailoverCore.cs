using System.Globalization;
using ClusterPro.Partition;

namespace ClusterPro.Failover;

/// <summary>
/// The failover decisions of one node, with no I/O: no clock, no socket, no task. Inputs are time passing
/// (<see cref="Tick"/>), heartbeats (<see cref="Receive"/>), the results of the effects it asked for, monitor verdicts and
/// operator commands; outputs are effects (<see cref="TakeEffects"/>) that a driver performs and whose results it feeds
/// back. The same inputs give the same outputs, so a simulator can run many nodes' cores against a simulated network,
/// AWS and clock from one seed.
/// <para>
/// Ownership: every group has an epoch that grows with every change of owner; each node keeps the highest claim it has
/// seen for each group and gossips it, so a stale holder (a paused process, the far side of a healed split) sees a newer
/// claim and yields. Peer liveness: a peer is alive when heard within the heartbeat timeout, directly or through a peer
/// that hears it. A lost peer is resolved by network-partition probes and the pure <see cref="SurvivalDecider"/>, then
/// fenced when fencing is configured; no group is activated while a lost peer is unresolved. Decisions are
/// level-triggered: every input re-evaluates the whole state, so a failed fence or probe is simply tried again.
/// </para>
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>The source named in the final action of a node that finds itself isolated.</summary>
    public const string PartitionSource = "network-partition";

    /// <summary>How many times a leaving node tries to release a group before it leaves still holding it.</summary>
    private const int LeaveReleaseAttempts = 3;

    private readonly FailoverCoreSettings _s;
    private readonly Dictionary<string, Peer> _peers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Peer[] _peerList;
    private readonly Peer?[] _byRank;
    private readonly Dictionary<string, Group> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Group[] _groupList;
    private readonly Dictionary<string, int> _rank = new(StringComparer.OrdinalIgnoreCase);
    private List<CoreEffect> _effects = [];
    private readonly TimeSpan _startedAt;
    private CoreTime _t;
    private long _nextId;
    private long _version;
    private long _sequence;
    private Episode? _episode;
    private bool _standby;
    private FinalActionRequest? _leaveAction;
    private string _leaveReason = string.Empty;
    private TimeSpan _leaveSettledAt;
    private bool _broadcastQueued;
    private bool _changed;
    private long _claimChanges;
    private long _claimsSentAt = -1;
    private List<GroupClaim>? _claimsSent;

    /// <summary>Creates the core of one node.</summary>
    /// <param name="settings">The cluster as this node sees it.</param>
    /// <param name="incarnation">A random number for this start (a restarted node is told apart by it).</param>
    /// <param name="time">The time of the start.</param>
    public FailoverCore(FailoverCoreSettings settings, long incarnation, CoreTime time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _s = settings;
        Incarnation = incarnation;
        _t = time;
        _startedAt = time.Now;
        for (var i = 0; i < settings.Nodes.Count; i++)
        {
            _rank[settings.Nodes[i]] = i;
        }

        SelfRank = _rank[settings.Self];
        _peerList = settings.Nodes.Where(n => !Is(n, settings.Self)).Select(n => new Peer(n, _rank[n])).ToArray();
        _byRank = new Peer?[settings.Nodes.Count];
        foreach (var p in _peerList)
        {
            _peers[p.Name] = p;
            _byRank[p.Rank] = p;
        }

        _groupList = settings.Groups.Select(g => new Group(g, g.Nodes.Any(n => Is(n, settings.Self)), [.. g.Nodes.Select(n => _rank[n])], settings.Nodes.Count)).ToArray();
        foreach (var g in _groupList)
        {
            _groups[g.Name] = g;
        }

        Mode = NodeMode.Starting;
        Emit(FailoverEventKind.Started, Self, $"Listening for peers; groups start after {Seconds(settings.StartupWait)} s.");
    }

    /// <summary>This node.</summary>
    public string Self => _s.Self;

    /// <summary>This start's incarnation.</summary>
    public long Incarnation { get; }

    /// <summary>This node's mode.</summary>
    public NodeMode Mode { get; private set; }

    /// <summary>Whether this node is on a minority side and holds back.</summary>
    public bool Standby => _standby;

    /// <summary>The settings.</summary>
    public FailoverCoreSettings Settings => _s;

    /// <summary>Heartbeats dropped so far, by reason.</summary>
    public Dictionary<HeartbeatRejection, long> Dropped { get; } = [];

    private int SelfRank { get; }

    /// <summary>Takes the effects asked for since the last call (the driver performs them in order).</summary>
    /// <returns>The effects.</returns>
    public List<CoreEffect> TakeEffects()
    {
        var taken = _effects;
        _effects = [];
        _broadcastQueued = false;
        return taken;
    }

    /// <summary>Whether effects are waiting.</summary>
    public bool HasEffects => _effects.Count > 0;

    /// <summary>Time passes.</summary>
    /// <param name="time">Now.</param>
    public void Tick(CoreTime time)
    {
        _t = time;
        Evaluate();
    }

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private string Canonical(string node) => _s.Nodes[RankOf(node)];

    /// <summary>A node's priority rank (0 = master), or -1 when it is not a cluster node. The names on the wire are the configured ones, so an ordinal match is tried first.</summary>
    private int RankOf(string node)
    {
        var nodes = _s.Nodes;
        for (var i = 0; i < nodes.Count; i++)
        {
            if (ReferenceEquals(nodes[i], node) || string.Equals(nodes[i], node, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return _rank.TryGetValue(node, out var rank) ? rank : -1;
    }

    /// <summary>A group by name; the names on the wire are the configured ones, so an ordinal match is tried first.</summary>
    private Group? GroupOf(string name)
    {
        foreach (var g in _groupList)
        {
            if (ReferenceEquals(g.Name, name) || string.Equals(g.Name, name, StringComparison.Ordinal))
            {
                return g;
            }
        }

        return _groups.TryGetValue(name, out var found) ? found : null;
    }

    private long NextId() => ++_nextId;

    private void Broadcast()
    {
        if (!_broadcastQueued)
        {
            _broadcastQueued = true;
            _effects.Add(BroadcastEffect.Instance);
        }
    }

    private void Emit(FailoverEventKind kind, string subject, string detail, bool succeeded = true, TimeSpan? duration = null) =>
        _effects.Add(new EventEffect(kind, subject, detail, succeeded, duration));

    private void Evaluate()
    {
        if (Mode == NodeMode.Stopped)
        {
            return;
        }

        UpdateLiveness();
        if (Mode == NodeMode.Starting && _t.Now - _startedAt >= _s.StartupWait)
        {
            Mode = NodeMode.Running;
            Broadcast();
        }

        if (!_s.Witness && !_maintenance)
        {
            UpdatePartition();
        }

        if (Mode == NodeMode.Leaving)
        {
            DriveLeave();
            DriveLeases();
            return;
        }

        DecideGroups();
        DriveLeases();
    }
}
