using System.Globalization;
using ClusterPro.Groups;
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

    /// <summary>The heartbeat to send now.</summary>
    /// <param name="time">Now.</param>
    /// <returns>The heartbeat.</returns>
    public HeartbeatMessage CreateHeartbeat(CoreTime time)
    {
        _t = time;
        var sees = new List<PeerSighting>(_peerList.Length);
        foreach (var p in _peerList)
        {
            if (HeardDirectly(p))
            {
                sees.Add(new PeerSighting(p.Name, (long)(_t.Now - p.HeardAt).TotalMilliseconds, p.Incarnation));
            }
        }

        // The claims change rarely: the list of the last heartbeat is sent again while none of them changed.
        if (_claimsSent is null || _claimsSentAt != _claimChanges)
        {
            var claims = new List<GroupClaim>(_groupList.Length + 1);
            foreach (var g in _groupList)
            {
                if (g.Best is not null)
                {
                    claims.Add(g.Best);
                }

                if (g.Mine is not null && !ReferenceEquals(g.Mine, g.Best))
                {
                    claims.Add(g.Mine);
                }
            }

            _claimsSent = claims;
            _claimsSentAt = _claimChanges;
        }

        var sent = _claimsSent;
        return new HeartbeatMessage(Self, Incarnation, ++_sequence, _t.Wall.ToUnixTimeMilliseconds(), Mode, _standby, sees, sent);
    }

    /// <summary>A heartbeat arrived (already authenticated by the driver).</summary>
    /// <param name="time">When it arrived.</param>
    /// <param name="message">The heartbeat.</param>
    /// <returns>Why it was dropped, or <see cref="HeartbeatRejection.None"/>.</returns>
    public HeartbeatRejection Receive(CoreTime time, HeartbeatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _t = time;
        _changed = false;
        var verdict = Accept(message);
        if (verdict != HeartbeatRejection.None)
        {
            Dropped[verdict] = Dropped.GetValueOrDefault(verdict) + 1;
            return verdict;
        }

        // A heartbeat that changes nothing this node decides on (the same run, mode, claims and peers heard, from a
        // peer already heard) needs no evaluation: time-driven changes come with the next tick.
        if (_changed)
        {
            Evaluate();
        }

        return verdict;
    }

    /// <summary>A probe finished.</summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The probe effect's id.</param>
    /// <param name="reachable">Whether any resolver reached its target.</param>
    /// <param name="detail">What the resolvers said.</param>
    public void ProbeCompleted(CoreTime time, long id, bool reachable, string detail)
    {
        _t = time;
        if (_episode is { } e && e.ProbeOp == id && e.Decision is null)
        {
            e.ProbeOp = 0;
            e.Detail = detail;
            if (reachable)
            {
                Decide(e, NetworkPartitionProbe.Reachable);
            }
            else if (e.Attempts < Math.Max(1, _s.ProbeAttempts))
            {
                e.NextProbeAt = _t.Now + _s.ProbeRetryInterval;
            }
            else
            {
                Decide(e, NetworkPartitionProbe.Unreachable);
            }
        }

        Evaluate();
    }

    /// <summary>A fence finished.</summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The fence effect's id.</param>
    /// <param name="result">The outcome.</param>
    public void FenceCompleted(CoreTime time, long id, FenceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _t = time;
        var peer = Array.Find(_peerList, p => p.FenceOp == id);
        if (peer is not null)
        {
            peer.FenceOp = 0;
            if (result.Fenced)
            {
                peer.FencedIncarnation = peer.Incarnation;
                peer.FencedAt = _t.Now;
                peer.Fenced = true;
                peer.FenceFailures = 0;
                Emit(FailoverEventKind.FenceCompleted, peer.Name, $"{result.Code} {result.Message}");
            }
            else
            {
                peer.FenceFailures++;
                var wait = FenceBackoff(peer.FenceFailures);
                peer.NextFenceAt = _t.Now + wait;
                Emit(FailoverEventKind.FenceCompleted, peer.Name, $"{result.Code} {result.Message} Fencing again in {Seconds(wait)} s unless {peer.Name} returns.", false);
            }
        }

        Evaluate();
    }

    /// <summary>A group operation finished (or was cancelled).</summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The operation effect's id.</param>
    /// <param name="outcome">What it did.</param>
    public void GroupOperationCompleted(CoreTime time, long id, GroupOperationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _t = time;
        var g = Array.Find(_groupList, x => x.Op == id);
        if (g is not null)
        {
            var op = g.OpKind;
            g.Op = 0;
            g.CancelRequested = false;
            if (op == GroupOperation.Activate)
            {
                ActivationFinished(g, outcome);
            }
            else
            {
                DeactivationFinished(g, outcome);
            }
        }

        Evaluate();
    }

    /// <summary>A reactivation finished.</summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The reactivation effect's id.</param>
    /// <param name="succeeded">Whether it succeeded.</param>
    public void ReactivationCompleted(CoreTime time, long id, bool succeeded)
    {
        _t = time;
        var g = Array.Find(_groupList, x => x.Op == id);
        if (g is not null)
        {
            g.Op = 0;
            g.CancelRequested = false;
            if (!succeeded && g.Mine is { State: GroupClaimState.Active })
            {
                MarkDegraded(g);
            }
        }

        Evaluate();
    }

    /// <summary>A monitor asks to move a group to another node.</summary>
    /// <param name="time">Now.</param>
    /// <param name="group">The group.</param>
    /// <param name="source">The monitor (or operator) asking.</param>
    /// <param name="target">The node to move it to, or <see langword="null"/> for the next one by priority.</param>
    /// <param name="failure">The group failed here (a monitor's failover), rather than a planned move.</param>
    /// <returns>Whether the move started.</returns>
    public bool RequestMove(CoreTime time, string group, string source, string? target = null, bool failure = true)
    {
        _t = time;
        var started = false;
        if (_groups.TryGetValue(group, out var busy) && busy.Mine is { State: GroupClaimState.Active } && busy.Op != 0 && failure && !busy.Degraded)
        {
            // An operation on the group is running; once it is done, the group is applied again (or moved then).
            Emit(FailoverEventKind.GroupHandedOff, busy.Name, $"{busy.Name} is busy ({source}); {Self} applies it again once the running operation ends.", false);
            MarkDegraded(busy);
        }

        if (_groups.TryGetValue(group, out var g) && g.Mine is { State: GroupClaimState.Active } && g.Op == 0 && Mode == NodeMode.Running)
        {
            var to = target is null ? HandoffTarget(g) : (IsHandoffTarget(g, target) ? Canonical(target) : null);
            if (to is null)
            {
                Emit(FailoverEventKind.GroupHandedOff, g.Name, target is null
                    ? $"No other node is up to take {g.Name} ({source}); it stays on {Self}, which applies it again."
                    : $"{target} cannot take {g.Name} now (it must be running, hear {Self} and be one of the group's nodes); it stays on {Self}.", false);
                if (failure && !g.Degraded)
                {
                    // It failed here and cannot move: apply it again (with backoff) until it is whole.
                    MarkDegraded(g);
                }
            }
            else
            {
                Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{Self} releases {g.Name} for {to} ({source}).");
                Release(g, to, failure, stop: false, $"moving to {to} ({source})");
                started = true;
            }
        }

        Evaluate();
        return started;
    }

    /// <summary>A monitor asks to reactivate a resource of an active group.</summary>
    /// <param name="time">Now.</param>
    /// <param name="group">The group.</param>
    /// <param name="resource">The resource.</param>
    /// <returns>The effect id to wait for, or 0 when the group is not active here or busy.</returns>
    public long RequestReactivation(CoreTime time, string group, string resource)
    {
        _t = time;
        if (!_groups.TryGetValue(group, out var g) || g.Mine is not { State: GroupClaimState.Active } || g.Op != 0 || Mode != NodeMode.Running || _standby)
        {
            return 0;
        }

        g.Op = NextId();
        g.OpKind = GroupOperation.Activate;
        g.OpIsReactivation = true;
        _effects.Add(new ReactivateEffect(g.Op, g.Name, resource));
        return g.Op;
    }

    /// <summary>A final action was asked for (by a monitor, a group resource or the host).</summary>
    /// <param name="time">Now.</param>
    /// <param name="request">The action.</param>
    public void RequestFinalAction(CoreTime time, FinalActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _t = time;
        switch (request.Action)
        {
            case FinalAction.None or FinalAction.NoneContinue:
                break;
            case FinalAction.StopGroup:
                Emit(FailoverEventKind.FinalAction, request.Source, $"{request.Action}: {request.Reason}");
                if (request.GroupName is not null && _groups.TryGetValue(request.GroupName, out var g) && g.Eligible)
                {
                    g.StopRequested = true;
                }

                break;
            default:
                if (!OnMinoritySide() && LastHomeOf() is { } last)
                {
                    // The spec's rule for monitors, applied to every node-wide final action: never take down the last
                    // node that can run a group. A node on a minority side cannot know whether it is the last: the
                    // majority may hold the group by now, so there the final action goes ahead.
                    Emit(FailoverEventKind.FinalAction, request.Source, $"{request.Action} suppressed: no other running node can run {last}. {request.Reason}", false);
                    break;
                }

                Emit(FailoverEventKind.FinalAction, request.Source, $"{request.Action}: {request.Reason}");
                BeginLeave($"final action {request.Action} from {request.Source}", request);
                break;
        }

        Evaluate();
    }

    /// <summary>Leave the cluster in order: release every group (to the next node), say so, then stop.</summary>
    /// <param name="time">Now.</param>
    /// <param name="reason">Why.</param>
    public void Leave(CoreTime time, string reason)
    {
        _t = time;
        BeginLeave(reason, null);
        Evaluate();
    }

    /// <summary>
    /// Whether another node could take over: for <paramref name="group"/>, a running peer that may run it; when null,
    /// for every group this node may run, a running peer that may run it (so a node-wide final action never takes down
    /// the last home of a group). Peers that stepped down, stand by or are not heard directly do not count.
    /// </summary>
    /// <param name="group">The group, or <see langword="null"/> for the whole node.</param>
    /// <returns>True when another node could take over.</returns>
    public bool IsAnotherNodeHealthy(string? group)
    {
        if (group is not null)
        {
            return _groups.TryGetValue(group, out var g) && HealthyPeerFor(g) is not null;
        }

        return LastHomeOf() is null;
    }

    /// <summary>A group this node may run that no healthy peer may run, or null.</summary>
    private string? LastHomeOf()
    {
        foreach (var g in _groupList)
        {
            if (g.Eligible && HealthyPeerFor(g) is null)
            {
                return g.Name;
            }
        }

        return null;
    }

    /// <summary>Whether, by what this node sees now, it is on a minority side (majority on, three or more nodes).</summary>
    private bool OnMinoritySide()
    {
        // With a witness there are no sides: the lease decides who holds a group.
        if (!_s.UseMajority || _s.Witness)
        {
            return false;
        }

        var total = 1;
        var side = 1;
        var masterHere = SelfRank == 0;
        foreach (var p in _peerList)
        {
            total++;
            if (IsAlive(p))
            {
                side++;
                masterHere |= p.Rank == 0;
            }
        }

        return total >= 3 && (2 * side < total || (2 * side == total && !masterHere));
    }

    private string? HealthyPeerFor(Group g)
    {
        foreach (var p in _peerList)
        {
            if (HeardDirectly(p) && p.Mode == NodeMode.Running && !p.Standby && g.CanRunRank[p.Rank])
            {
                return p.Name;
            }
        }

        return null;
    }

    /// <summary>This node's claim state on a group, or <see langword="null"/>.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The state.</returns>
    public GroupClaimState? LocalState(string group) => _groups.TryGetValue(group, out var g) ? g.Mine?.State : null;

    /// <summary>Whether this node holds (or may hold part of) the group.</summary>
    /// <param name="group">The group.</param>
    /// <returns>True when holding.</returns>
    public bool Holds(string group) => _groups.TryGetValue(group, out var g) && g.Mine is { Holding: true };

    /// <summary>The current view, for operators and tests.</summary>
    /// <returns>A snapshot.</returns>
    public ClusterView GetView()
    {
        var peers = _peerList.Select(p => new PeerStatus(
            p.Name,
            p.State,
            p.Mode,
            p.OwnClaims.Where(c => c.Holding).Select(c => c.Group).ToList(),
            p.EverHeard ? _t.Now - p.HeardAt : null,
            IsFenced(p))).ToList();
        var groups = _groupList.Select(g =>
        {
            var best = g.Best;
            var owner = best is { Holding: true } && OwnerOf(g) is Owner.Mine or Owner.Alive or Owner.Lost ? best.Holder : null;
            var lease = g.Lease;
            var leaseStatus = !_s.Witness || (!lease.Read && !lease.Held) ? null
                : new LeaseStatus(lease.ObservedAbsent ? null : lease.Observed?.Owner, lease.ObservedAbsent ? 0 : lease.Observed?.Epoch ?? 0, _t.Now - (lease.Held ? lease.RenewedAt : lease.ObservedSince), lease.Held);
            return new GroupStatus(g.Name, owner, best?.Epoch ?? 0, best?.State, g.Mine?.State, leaseStatus);
        }).ToList();
        return new ClusterView(Self, Mode, _standby, peers, groups, new Dictionary<HeartbeatRejection, long>(Dropped));
    }

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static int Severity(FinalAction a) => a switch
    {
        FinalAction.StopClusterServiceAndShutdownOs => 3,
        FinalAction.StopClusterServiceAndRebootOs => 2,
        FinalAction.StopClusterService => 1,
        _ => 0,
    };

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

    /// <summary>The index of a group, or -1.</summary>
    /// <param name="group">The group.</param>
    /// <returns>Its index in the settings' group list.</returns>
    public int GroupIndex(string group) => _groups.TryGetValue(group, out var g) ? Array.IndexOf(_groupList, g) : -1;

    /// <summary>Whether this node holds the group at <paramref name="index"/>.</summary>
    /// <param name="index">The group's index.</param>
    /// <returns>True when holding.</returns>
    public bool HoldsAt(int index) => _groupList[index].Mine is { Holding: true };

    /// <summary>This node's claim state on the group at <paramref name="index"/>.</summary>
    /// <param name="index">The group's index.</param>
    /// <returns>The state.</returns>
    public GroupClaimState? LocalStateAt(int index) => _groupList[index].Mine?.State;

    private long NextId() => ++_nextId;

    private TimeSpan FenceBackoff(int failures)
    {
        var ticks = _s.FenceRetryMin.Ticks * (1L << Math.Min(failures - 1, 16));
        return TimeSpan.FromTicks(Math.Min(ticks, _s.FenceRetryMax.Ticks));
    }

    private bool HeardDirectly(Peer p) =>
        p.EverHeard && p.Mode != NodeMode.Stopped && _t.Now - p.HeardAt <= _s.HeartbeatTimeout;

    private static bool IsAlive(Peer p) => p.State is PeerState.Up or PeerState.Suspect or PeerState.Relayed;

    private static bool IsFenced(Peer p) => p.Fenced && p.FencedIncarnation == p.Incarnation;

    /// <summary>
    /// Fenced since this episode began, and recently enough that, had it been started again since, it could not yet
    /// have activated anything (a restarted node waits the start-up wait first). A node that cannot hear a peer cannot
    /// see it restart, so an older fence is repeated before a takeover (stopping a stopped instance is quick).
    /// </summary>
    private bool FencedForTakeover(Peer p) =>
        IsFenced(p) && _episode is { } e && p.FencedAt >= e.StartedAt && _t.Now - p.FencedAt <= _s.StartupWait;

    private bool FencedInEpisode(Peer p) => IsFenced(p) && _episode is { } e && p.FencedAt >= e.StartedAt;

    private bool CanRun(Group g, string node)
    {
        var rank = RankOf(node);
        return rank >= 0 && g.CanRunRank[rank];
    }

    private HeartbeatRejection Accept(HeartbeatMessage m)
    {
        if (!_peers.TryGetValue(m.Node, out var p))
        {
            return HeartbeatRejection.UnknownNode;
        }

        var skew = Math.Abs(_t.Wall.ToUnixTimeMilliseconds() - m.SentAtMs);
        if (skew > _s.MaxClockSkew.TotalMilliseconds)
        {
            return HeartbeatRejection.ClockSkew;
        }

        if (p.IncarnationKnown && m.Incarnation == p.Incarnation)
        {
            if (m.Sequence <= p.Sequence)
            {
                return HeartbeatRejection.Replayed;
            }
        }
        else if (p.Retired.Contains(m.Incarnation))
        {
            return HeartbeatRejection.Replayed;
        }
        else
        {
            LearnIncarnation(p, m.Incarnation, _t.Now);
        }

        _changed |= p.State is not (PeerState.Up or PeerState.Suspect) || p.Mode != m.Mode || p.Standby != m.Standby || !SameSees(p.Sees, m.Sees);
        p.Sequence = m.Sequence;
        p.HeardAt = _t.Now;
        p.IncarnationSeenAt = _t.Now;
        p.EverHeard = true;
        p.Mode = m.Mode;
        p.Standby = m.Standby;
        p.Sees = m.Sees;
        var own = new List<GroupClaim>(2);
        var claims = m.Claims;
        for (var i = 0; i < claims.Count; i++)
        {
            var c = claims[i];
            var g = GroupOf(c.Group);
            var holder = RankOf(c.Holder);
            if (g is null || holder < 0)
            {
                continue;
            }

            if (holder == p.Rank && c.Incarnation == m.Incarnation)
            {
                own.Add(c);
                if (c.Holding && g.Mine is { State: GroupClaimState.Active } mine && Compare(mine, c) > 0 && !g.Degraded)
                {
                    // Another node held this group at the same time (the far side of a split, a stale process): it
                    // yields to the newer claim, but may have pointed the group's resources at itself meanwhile.
                    // Apply them again once it has let go.
                    Emit(FailoverEventKind.GroupConflict, g.Name, $"{m.Node} also holds {g.Name} (epoch {c.Epoch}); it yields to {Self}'s newer claim (epoch {mine.Epoch}), and {Self} applies the group again.", false);
                    g.Degraded = true;
                    g.RetryActivateAt = _t.Now + _s.HeartbeatTimeout;
                    _changed = true;
                }
            }

            Merge(g, c);
        }

        _changed |= !SameClaims(p.OwnClaims, own);
        p.OwnClaims = own;

        // Whom the sender hears, and which run of each: a node this one does not hear directly is still known to
        // have restarted (its old claims void, its new ones valid).
        var sees = m.Sees;
        for (var i = 0; i < sees.Count; i++)
        {
            var sighting = sees[i];
            var rank = RankOf(sighting.Node);
            if (rank >= 0 && _byRank[rank] is { } other && !ReferenceEquals(other, p))
            {
                LearnIncarnation(other, sighting.Incarnation, _t.Now - TimeSpan.FromMilliseconds(sighting.AgeMs));
            }
        }

        return HeartbeatRejection.None;
    }

    /// <summary>Records which run of a peer is current, from its own heartbeat or a peer's sighting of it.</summary>
    private void LearnIncarnation(Peer p, long incarnation, TimeSpan seenAt)
    {
        if (p.IncarnationKnown && incarnation == p.Incarnation)
        {
            if (seenAt > p.IncarnationSeenAt)
            {
                p.IncarnationSeenAt = seenAt;
            }

            return;
        }

        if (p.Retired.Contains(incarnation) || (p.IncarnationKnown && seenAt < p.IncarnationSeenAt))
        {
            // An earlier run, or older news than what this node knows.
            return;
        }

        if (p.IncarnationKnown)
        {
            // The peer started again: its old process, and whatever it claimed, is gone.
            p.Retired.Add(p.Incarnation);
            if (p.Retired.Count > 8)
            {
                p.Retired.RemoveAt(0);
            }

            Emit(FailoverEventKind.PeerRestarted, p.Name, $"{p.Name} started again; what its previous run held is void.");
            p.OwnClaims = [];
            p.Sees = [];
            p.Mode = NodeMode.Starting;
            p.Standby = false;
        }

        p.Incarnation = incarnation;
        p.IncarnationKnown = true;
        p.IncarnationSeenAt = seenAt;
        p.Sequence = 0;
        _changed = true;
    }

    private int Compare(GroupClaim a, GroupClaim b)
    {
        var c = a.Epoch.CompareTo(b.Epoch);
        if (c != 0)
        {
            return c;
        }

        c = RankOf(b.Holder).CompareTo(RankOf(a.Holder));
        return c != 0 ? c : a.Version.CompareTo(b.Version);
    }

    private void Merge(Group g, GroupClaim c)
    {
        if (c.Epoch > g.MaxEpoch)
        {
            g.MaxEpoch = c.Epoch;
            _changed = true;
        }

        if (g.Best is null || Compare(c, g.Best) > 0)
        {
            g.Best = c;
            _changed = true;
            _claimChanges++;
        }
    }

    private static bool SameSees(IReadOnlyList<PeerSighting> a, IReadOnlyList<PeerSighting> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i].Node, b[i].Node, StringComparison.Ordinal) || a[i].Incarnation != b[i].Incarnation)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameClaims(List<GroupClaim> a, List<GroupClaim> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Epoch != b[i].Epoch || a[i].State != b[i].State || a[i].Version != b[i].Version || !string.Equals(a[i].Group, b[i].Group, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void SetMine(Group g, GroupClaimState state, long epoch, string? target = null, bool failed = false)
    {
        g.Mine = new GroupClaim(g.Name, epoch, Self, Incarnation, state, ++_version, target, failed);
        _claimChanges++;
        Merge(g, g.Mine);
        Broadcast();
    }

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

        if (!_s.Witness)
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

    private void UpdateLiveness()
    {
        foreach (var p in _peerList)
        {
            var before = p.State;
            PeerState now;
            if (p.EverHeard && p.Mode == NodeMode.Stopped)
            {
                now = PeerState.Left;
            }
            else if (HeardDirectly(p))
            {
                now = _t.Now - p.HeardAt <= _s.HeartbeatTimeout / 2 ? PeerState.Up : PeerState.Suspect;
            }
            else if (RelayedAlive(p))
            {
                now = PeerState.Relayed;
            }
            else
            {
                now = p.EverHeard ? PeerState.Down : PeerState.Unknown;
            }

            p.State = now;
            var wasAlive = before is PeerState.Up or PeerState.Suspect or PeerState.Relayed;
            var isAlive = now is PeerState.Up or PeerState.Suspect or PeerState.Relayed;
            if (wasAlive && now == PeerState.Down)
            {
                p.LostAt = _t.Now;
                Emit(FailoverEventKind.HeartbeatLost, p.Name, $"No heartbeat from {p.Name} for {Seconds(_s.HeartbeatTimeout)} s.", false);
            }
            else if (before == PeerState.Down && isAlive)
            {
                Emit(FailoverEventKind.HeartbeatRestored, p.Name, $"{p.Name} is back; groups stay where they are unless they fail back.");
            }
            else if (now == PeerState.Left && before != PeerState.Left)
            {
                Emit(FailoverEventKind.PeerLeft, p.Name, $"{p.Name} left the cluster; what it released can be taken at once.");
            }
        }
    }

    private bool RelayedAlive(Peer p)
    {
        foreach (var q in _peerList)
        {
            if (ReferenceEquals(p, q) || !HeardDirectly(q))
            {
                continue;
            }

            var sees = q.Sees;
            for (var i = 0; i < sees.Count; i++)
            {
                var s = sees[i];
                if (RankOf(s.Node) == p.Rank && _t.Now - q.HeardAt + TimeSpan.FromMilliseconds(s.AgeMs) <= _s.HeartbeatTimeout)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsLost(Peer p)
    {
        switch (p.State)
        {
            case PeerState.Down:
                return true;
            case PeerState.Unknown:
                return Mode != NodeMode.Starting;
            case PeerState.Left:
                for (var i = 0; i < p.OwnClaims.Count; i++)
                {
                    if (p.OwnClaims[i].Holding)
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private void UpdatePartition()
    {
        ulong lost = 0;
        for (var i = 0; i < _peerList.Length; i++)
        {
            if (IsLost(_peerList[i]))
            {
                lost |= 1UL << i;
            }
        }

        if (lost == 0)
        {
            if (_episode is not null)
            {
                _episode = null;
                if (_standby)
                {
                    _standby = false;
                    Emit(FailoverEventKind.PartitionVerdict, Self, "Every peer is visible again; this node may hold groups again.");
                }
            }

            return;
        }

        if (_episode is null || _episode.Mask != lost)
        {
            var names = _peerList.Where((_, i) => (lost & (1UL << i)) != 0).Select(p => p.Name).ToArray();
            _episode = new Episode(lost, names, _t.Now);
        }

        var e = _episode;
        if (e.Decision is not null || Mode == NodeMode.Leaving)
        {
            return;
        }

        if (!_s.ResolversConfigured)
        {
            Decide(e, NetworkPartitionProbe.NotConfigured);
        }
        else if (e.ProbeOp == 0 && _t.Now >= e.NextProbeAt)
        {
            e.ProbeOp = NextId();
            e.Attempts++;
            _effects.Add(new ProbeEffect(e.ProbeOp));
        }
    }

    private void Decide(Episode e, NetworkPartitionProbe probe)
    {
        // Every configured node counts, including those that left in order: two sides that each saw a third node
        // leave must not both think they hold a majority of the rest.
        var visible = new List<string>();
        foreach (var p in _peerList)
        {
            if (IsAlive(p))
            {
                visible.Add(p.Name);
            }
        }

        var d = SurvivalDecider.Decide(new PartitionView(Self, _s.Nodes, visible, probe, _s.UseMajority, _s.FencingConfigured), _s.FenceDelay);
        e.Decision = d;
        e.FenceNotBefore = _t.Now + d.FenceDelay;
        Emit(FailoverEventKind.PartitionVerdict, e.Key, $"{d.Action}: {d.Reason} {e.Detail}".Trim(), d.Action != SurvivalAction.StepDown);
        switch (d.Action)
        {
            case SurvivalAction.StepDown:
                Emit(FailoverEventKind.SteppedDown, Self, d.Reason, false);
                BeginLeave(d.Reason, new FinalActionRequest(_s.PartitionAction, PartitionSource, Self, null, d.Reason));
                break;
            case SurvivalAction.StandBy:
                if (!_standby)
                {
                    _standby = true;
                    Broadcast();
                }

                break;
            default:
                if (_standby)
                {
                    _standby = false;
                    Broadcast();
                }

                break;
        }
    }

    private bool LostResolved()
    {
        if (_episode is null)
        {
            return true;
        }

        if (_episode.Decision is not { Action: SurvivalAction.TakeOver } d)
        {
            return false;
        }

        if (!d.MustFence)
        {
            return true;
        }

        foreach (var name in _episode.Lost)
        {
            if (!FencedForTakeover(_peers[name]))
            {
                return false;
            }
        }

        return true;
    }

    private void DecideGroups()
    {
        // With a witness the lease decides who may activate; without one, a lost peer must be resolved first.
        var resolved = _s.Witness || LostResolved();
        var wantsToTake = false;
        foreach (var g in _groupList)
        {
            if (!g.Eligible)
            {
                continue;
            }

            if (g.Op != 0)
            {
                // An activation (or a monitor's reactivation) that must not finish here any more is cancelled; the group
                // is released once it has stopped.
                if (g.OpKind == GroupOperation.Activate && !g.CancelRequested && ShouldGiveUp(g) is not null)
                {
                    g.CancelRequested = true;
                    _effects.Add(new CancelEffect(g.Op));
                }

                continue;
            }

            if (g.Mine is { Holding: true } mine)
            {
                if (mine.State == GroupClaimState.Stuck)
                {
                    // A release that failed is tried again (with backoff) until it succeeds; until then peers treat
                    // this node as holding the group, and fence it before taking the group over.
                    if (_t.Now >= g.RetryReleaseAt)
                    {
                        Release(g, g.ReleaseTarget, g.ReleaseFailed, g.ReleaseStops, $"releasing {g.Name} again after a failed deactivation");
                    }

                    continue;
                }

                var why = ShouldGiveUp(g);
                if (why is not null)
                {
                    if (!_standby)
                    {
                        Emit(FailoverEventKind.GroupConflict, g.Name, why, false);
                    }

                    Release(g, null, failed: false, stop: false, why);
                }
                else if (g.StopRequested)
                {
                    Release(g, null, failed: true, stop: true, "final action StopGroup");
                }
                else if (mine.State == GroupClaimState.Active && g.Settings.AutoFailback && FailbackTarget(g) is { } back)
                {
                    Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{Self} fails {g.Name} back to {back}, which has returned.");
                    Release(g, back, failed: false, stop: false, $"failback to {back}");
                }
                else if (mine.State == GroupClaimState.Active && g.Degraded && _t.Now >= g.RetryActivateAt)
                {
                    // Part of the group failed to come up and no other node could take it: try again until it does.
                    g.Op = NextId();
                    g.OpKind = GroupOperation.Activate;
                    g.OpIsReactivation = false;
                    g.OpIsRetry = true;
                    _effects.Add(new GroupOperationEffect(g.Op, g.Name, GroupOperation.Activate, mine.Epoch, "activating the rest of the group again"));
                }

                continue;
            }

            g.StopRequested = false;
            if (Mode != NodeMode.Running || _standby)
            {
                continue;
            }

            var need = NeedsOwner(g, out var reason, out var exclude, out var immediate);
            if (!need)
            {
                g.OrphanSince = null;
                WatchLease(g);
                continue;
            }

            // A group handed to this node is taken by it, whoever else could run it; otherwise the best candidate takes it.
            var handedToMe = g.Best is { State: GroupClaimState.Released, Target: { } to } && Is(to, Self);
            if (!handedToMe && !IsBestCandidate(g, exclude))
            {
                g.OrphanSince = null;
                continue;
            }

            if (!resolved)
            {
                wantsToTake = true;
                continue;
            }

            if (!immediate)
            {
                g.OrphanSince ??= _t.Now;
                if (_t.Now - g.OrphanSince.Value < _s.OrphanGrace)
                {
                    continue;
                }
            }

            if (_s.Witness && !LeaseReady(g))
            {
                continue;
            }

            Activate(g, reason);
        }

        if (_s.Witness)
        {
            DriveLeaseFencing();
        }
        else
        {
            DriveFencing(wantsToTake);
        }
    }

    /// <summary>Why this node must let go of a group it holds (or is activating), or null.</summary>
    private string? ShouldGiveUp(Group g)
    {
        if (_s.Witness && g.Mine is { State: GroupClaimState.Activating or GroupClaimState.Active } && LeaseProblem(g) is { } lease)
        {
            return lease;
        }

        if (_standby)
        {
            return $"{Self} is on a minority side; releasing {g.Name} until the majority is back.";
        }

        if (g.Best is { } best && g.Mine is { } mine && !ReferenceEquals(best, mine) && best.Epoch >= mine.Epoch)
        {
            return Is(best.Holder, Self)
                ? $"A newer claim on {g.Name} exists (epoch {best.Epoch}); releasing it here."
                : $"{g.Name} is claimed by {best.Holder} with a newer claim (epoch {best.Epoch} over {mine.Epoch}); releasing it here.";
        }

        return null;
    }

    private void DriveFencing(bool wantsToTake)
    {
        if (_episode is not { Decision: { Action: SurvivalAction.TakeOver, MustFence: true } } e)
        {
            return;
        }

        var holdsAny = false;
        foreach (var g in _groupList)
        {
            holdsAny |= g.Mine is { Holding: true } || (g.Op != 0 && g.OpKind == GroupOperation.Activate);
        }

        if (!holdsAny && !wantsToTake)
        {
            return;
        }

        foreach (var name in e.Lost)
        {
            var p = _peers[name];
            var done = wantsToTake ? FencedForTakeover(p) : FencedInEpisode(p);
            if (done || p.FenceOp != 0 || _t.Now < e.FenceNotBefore || _t.Now < p.NextFenceAt)
            {
                continue;
            }

            p.FenceOp = NextId();
            Emit(FailoverEventKind.FenceStarted, p.Name, $"Stopping {p.Name}.");
            _effects.Add(new FenceEffect(p.FenceOp, p.Name));
        }
    }

    private enum Owner
    {
        None,
        Mine,
        Alive,
        Lost,
        Void,
        Released,
        Stopped,
    }

    private Owner OwnerOf(Group g)
    {
        var best = g.Best;
        if (best is null)
        {
            return Owner.None;
        }

        if (!best.Holding)
        {
            return best.State == GroupClaimState.Stopped ? Owner.Stopped : Owner.Released;
        }

        if (Is(best.Holder, Self))
        {
            return best.Incarnation == Incarnation ? Owner.Mine : Owner.Void;
        }

        var p = _byRank[RankOf(best.Holder)]!;
        if (p.Retired.Contains(best.Incarnation) ||
            (p.IncarnationKnown && p.Incarnation != best.Incarnation && _t.Now - p.IncarnationSeenAt <= _s.HeartbeatTimeout))
        {
            // Claims of an earlier run: the holder runs another one now, so the old process is gone.
            return Owner.Void;
        }

        if (IsLost(p))
        {
            return Owner.Lost;
        }

        return IsAlive(p) ? Owner.Alive : Owner.Lost;
    }

    private bool NeedsOwner(Group g, out string reason, out string? exclude, out bool immediate)
    {
        exclude = null;
        immediate = false;
        reason = string.Empty;
        switch (OwnerOf(g))
        {
            case Owner.None:
                reason = "start-up";
                immediate = true;
                return g.Settings.AutoStart;
            case Owner.Lost:
                reason = $"takeover from {g.Best!.Holder}";
                immediate = true;
                return g.Settings.AutoFailover;
            case Owner.Void:
                reason = $"{g.Best!.Holder} restarted without it";
                return g.Settings.AutoFailover;
            case Owner.Released:
                var best = g.Best!;
                if (best.Target is { } target)
                {
                    if (Is(target, Self))
                    {
                        reason = $"{best.Holder} handed it to {Self}";
                        immediate = true;
                        return true;
                    }

                    // While the node it was handed to is alive it may be taking it (perhaps unseen, its claim still on
                    // the way): nobody else may. If it is lost, the usual way applies (probe, fence, then take over).
                    if (_peers.TryGetValue(target, out var t) && IsAlive(t) && !IsLost(t) && t.Mode is NodeMode.Running or NodeMode.Starting)
                    {
                        return false;
                    }
                }

                reason = $"{best.Holder} released it";
                exclude = best.Failed ? best.Holder : null;
                return true;
            default:
                return false;
        }
    }

    private bool IsBestCandidate(Group g, string? exclude)
    {
        var first = FirstCandidate(g, exclude) ?? (exclude is null ? null : FirstCandidate(g, null));
        return first is not null && Is(first, Self);
    }

    private string? FirstCandidate(Group g, string? exclude)
    {
        var excluded = exclude is null ? -1 : RankOf(exclude);
        foreach (var rank in g.NodeRanks)
        {
            if (rank == excluded)
            {
                continue;
            }

            if (rank == SelfRank)
            {
                return Self;
            }

            // A peer that stands by (minority) still counts: it may come back any moment, and two nodes must never
            // both think they are the one to start a group. Only lost, leaving and departed peers are passed over.
            var p = _byRank[rank]!;
            if (IsAlive(p) && !IsLost(p) && p.Mode is NodeMode.Running or NodeMode.Starting)
            {
                return p.Name;
            }
        }

        return null;
    }

    private bool IsHandoffTarget(Group g, string node) =>
        _peers.TryGetValue(node, out var p) && IsHandoffTarget(g, p);

    private bool IsHandoffTarget(Group g, Peer p) =>
        g.CanRunRank[p.Rank] && HearsMe(p) && p.Mode == NodeMode.Running && !p.Standby;

    private bool HearsMe(Peer p)
    {
        if (!HeardDirectly(p))
        {
            return false;
        }

        for (var i = 0; i < p.Sees.Count; i++)
        {
            if (RankOf(p.Sees[i].Node) == SelfRank)
            {
                return true;
            }
        }

        return false;
    }

    private string? HandoffTarget(Group g)
    {
        foreach (var rank in g.NodeRanks)
        {
            if (rank != SelfRank && IsHandoffTarget(g, _byRank[rank]!))
            {
                return _s.Nodes[rank];
            }
        }

        return null;
    }

    private string? FailbackTarget(Group g)
    {
        foreach (var rank in g.NodeRanks)
        {
            if (rank == SelfRank)
            {
                return null;
            }

            var p = _byRank[rank]!;
            if (IsHandoffTarget(g, p) && p.State == PeerState.Up && _t.Now - p.RunningSince >= _s.FailbackSettle)
            {
                return _s.Nodes[rank];
            }
        }

        return null;
    }

    private void Activate(Group g, string reason)
    {
        var lostAt = OwnerOf(g) == Owner.Lost ? _peers[g.Best!.Holder].LastHeardOrStart(_startedAt) : (TimeSpan?)null;
        if (OwnerOf(g) == Owner.Released && g.Best!.Target is { } t && Is(t, Self))
        {
            Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{g.Best.Holder} handed {g.Name} to {Self}.");
        }

        g.OrphanSince = null;
        g.TakeoverFrom = lostAt;
        g.Lease.FenceOwed.Clear();
        SetMine(g, GroupClaimState.Activating, _s.Witness ? g.Lease.HeldEpoch : g.MaxEpoch + 1);
        g.Op = NextId();
        g.OpKind = GroupOperation.Activate;
        g.OpIsReactivation = false;
        g.OpIsRetry = false;
        g.Degraded = false;
        g.ActivationFailures = 0;
        _effects.Add(new GroupOperationEffect(g.Op, g.Name, GroupOperation.Activate, g.Mine!.Epoch, reason));
    }

    private void Release(Group g, string? target, bool failed, bool stop, string reason)
    {
        g.ReleaseTarget = target;
        g.ReleaseFailed = failed;
        g.ReleaseStops = stop;
        g.StopRequested = false;
        SetMine(g, GroupClaimState.Deactivating, g.Mine!.Epoch);
        g.Op = NextId();
        g.OpKind = GroupOperation.Deactivate;
        g.OpIsReactivation = false;
        _effects.Add(new GroupOperationEffect(g.Op, g.Name, GroupOperation.Deactivate, g.Mine.Epoch, reason));
    }

    private void ActivationFinished(Group g, GroupOperationOutcome o)
    {
        if (g.OpIsReactivation)
        {
            return;
        }

        var epoch = g.Mine?.Epoch ?? g.MaxEpoch;
        var retry = g.OpIsRetry;
        g.OpIsRetry = false;
        if (retry && o.Outcome != GroupOutcome.Succeeded && o.Outcome is not null && o.FinalAction != FinalAction.StopGroup)
        {
            // Still not complete: hand it to another node if one can take it now, else try again later.
            MarkDegraded(g);
            if (o.Outcome == GroupOutcome.FailoverRequested && HandoffTarget(g) is { } next && Mode == NodeMode.Running)
            {
                Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{Self} releases {g.Name} for {next} (activation failed here).");
                Release(g, next, failed: true, stop: false, $"activation failed; moving to {next}");
            }

            return;
        }

        if (o.Outcome != GroupOutcome.Succeeded)
        {
            MarkDegraded(g);
        }
        else
        {
            g.Degraded = false;
            g.ActivationFailures = 0;
        }

        switch (o.Outcome)
        {
            case GroupOutcome.Succeeded:
                SetMine(g, GroupClaimState.Active, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, true, g.TakeoverFrom is { } from ? _t.Now - from : null);
                break;
            case GroupOutcome.FailoverRequested:
                SetMine(g, GroupClaimState.Active, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, false);
                if (HandoffTarget(g) is { } to && Mode == NodeMode.Running)
                {
                    Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{Self} releases {g.Name} for {to} (activation failed here).");
                    Release(g, to, failed: true, stop: false, $"activation failed; moving to {to}");
                }
                else
                {
                    Emit(FailoverEventKind.GroupHandedOff, g.Name, $"No other node is up to take {g.Name}; it stays on {Self} as it is.", false);
                }

                break;
            case GroupOutcome.FinalActionTaken when o.FinalAction == FinalAction.StopGroup:
                SetMine(g, o.AnyActive ? GroupClaimState.Stuck : GroupClaimState.Stopped, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, false);
                break;
            case GroupOutcome.FinalActionTaken:
                SetMine(g, GroupClaimState.Active, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, false);
                break;
            default:
                // Cancelled or threw: whatever part was applied is released by the next evaluation.
                SetMine(g, GroupClaimState.Active, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, false);
                if (ShouldGiveUp(g) is null && Mode == NodeMode.Running)
                {
                    Release(g, null, failed: true, stop: false, "activation did not finish");
                }

                break;
        }

        g.TakeoverFrom = null;
    }

    private void MarkDegraded(Group g)
    {
        g.Degraded = true;
        g.ActivationFailures++;
        g.RetryActivateAt = _t.Now + FenceBackoff(g.ActivationFailures);
    }

    private void DeactivationFinished(Group g, GroupOperationOutcome o)
    {
        g.Degraded = false;
        g.ActivationFailures = 0;
        var epoch = g.Mine?.Epoch ?? g.MaxEpoch;
        if (o.Outcome == GroupOutcome.Succeeded)
        {
            g.ReleaseFailures = 0;
            SetMine(g, g.ReleaseStops ? GroupClaimState.Stopped : GroupClaimState.Released, epoch, g.ReleaseTarget, g.ReleaseFailed);
            Emit(FailoverEventKind.GroupDeactivated, g.Name, o.Summary);
        }
        else
        {
            g.ReleaseFailures++;
            var wait = FenceBackoff(g.ReleaseFailures);
            g.RetryReleaseAt = _t.Now + wait;
            SetMine(g, GroupClaimState.Stuck, epoch);
            Emit(FailoverEventKind.GroupDeactivated, g.Name, $"{o.Summary} Releasing it again in {Seconds(wait)} s.", false);
        }
    }

    private void BeginLeave(string reason, FinalActionRequest? action)
    {
        if (Mode == NodeMode.Stopped)
        {
            return;
        }

        if (action is not null && (_leaveAction is null || Severity(action.Action) > Severity(_leaveAction.Action)))
        {
            _leaveAction = action;
        }

        if (Mode != NodeMode.Leaving)
        {
            Mode = NodeMode.Leaving;
            _leaveReason = reason;
            _leaveSettledAt = _t.Now + (2 * _s.HeartbeatInterval);
            Broadcast();
        }
    }

    private void DriveLeave()
    {
        var pending = false;
        foreach (var g in _groupList)
        {
            if (g.Op != 0)
            {
                if (g.OpKind == GroupOperation.Activate && !g.OpIsReactivation && !g.CancelRequested)
                {
                    g.CancelRequested = true;
                    _effects.Add(new CancelEffect(g.Op));
                }

                pending = true;
            }
            else if (g.Mine is { Holding: true, State: not GroupClaimState.Stuck })
            {
                Release(g, HandoffTarget(g), failed: false, stop: false, $"{Self} is leaving: {_leaveReason}");
                pending = true;
            }
            else if (g.Mine is { State: GroupClaimState.Stuck } && g.ReleaseFailures < LeaveReleaseAttempts)
            {
                // A release that failed is tried a few more times before the node leaves holding it (peers then
                // fence it before taking the group over).
                if (_t.Now >= g.RetryReleaseAt)
                {
                    Release(g, g.ReleaseTarget, g.ReleaseFailed, g.ReleaseStops, $"{Self} is leaving: releasing {g.Name} again");
                }

                pending = true;
            }
        }

        if (pending)
        {
            return;
        }

        if (_leaveAction is { Source: not PartitionSource } && _t.Now < _leaveSettledAt)
        {
            // Give peers time to hear that this node is leaving (and this node to hear whether they are too).
            return;
        }

        if (_leaveAction is { Source: not PartitionSource } wanted && !OnMinoritySide() && LastHomeOf() is { } last)
        {
            // The final action was asked for while a peer looked able to take over; it no longer is.
            Emit(FailoverEventKind.FinalAction, wanted.Source, $"{wanted.Action} cancelled: no other running node can run {last} any more; {Self} stays in the cluster.", false);
            _leaveAction = null;
            Mode = NodeMode.Running;
            Broadcast();
            return;
        }

        Mode = NodeMode.Stopped;
        Broadcast();
        if (_leaveAction is { } action)
        {
            _effects.Add(new FinalActionEffect(action));
        }

        Emit(FailoverEventKind.Stopped, Self, $"{Self} left the cluster: {_leaveReason}");
        _effects.Add(new StoppedEffect(_leaveReason));
    }

    private sealed class Peer(string name, int rank)
    {
        private NodeMode _mode = NodeMode.Starting;

        public string Name { get; } = name;

        public int Rank { get; } = rank;

        public long Incarnation { get; set; }

        public bool IncarnationKnown { get; set; }

        public TimeSpan IncarnationSeenAt { get; set; }

        public long Sequence { get; set; }

        public bool EverHeard { get; set; }

        public TimeSpan HeardAt { get; set; }

        public TimeSpan LostAt { get; set; }

        public TimeSpan RunningSince { get; private set; }

        public NodeMode Mode
        {
            get => _mode;
            set
            {
                if (value == NodeMode.Running && _mode != NodeMode.Running)
                {
                    RunningSince = HeardAt;
                }

                _mode = value;
            }
        }

        public bool Standby { get; set; }

        public IReadOnlyList<PeerSighting> Sees { get; set; } = [];

        public List<GroupClaim> OwnClaims { get; set; } = [];

        public PeerState State { get; set; } = PeerState.Unknown;

        public List<long> Retired { get; } = [];

        public long FenceOp { get; set; }

        public bool Fenced { get; set; }

        public long FencedIncarnation { get; set; }

        public TimeSpan FencedAt { get; set; }

        public int FenceFailures { get; set; }

        public TimeSpan NextFenceAt { get; set; }

        public TimeSpan LastHeardOrStart(TimeSpan start) => EverHeard ? HeardAt : start;
    }

    private sealed class Group(CoreGroupSettings settings, bool eligible, int[] nodeRanks, int nodeCount)
    {
        public CoreGroupSettings Settings { get; } = settings;

        /// <summary>The ranks of the nodes that may run it, in its priority order.</summary>
        public int[] NodeRanks { get; } = nodeRanks;

        /// <summary>By rank: whether that node may run it.</summary>
        public bool[] CanRunRank { get; } = Enumerable.Range(0, nodeCount).Select(nodeRanks.Contains).ToArray();

        public string Name => Settings.Name;

        public bool Eligible { get; } = eligible;

        public GroupClaim? Best { get; set; }

        public GroupClaim? Mine { get; set; }

        public long MaxEpoch { get; set; }

        public long Op { get; set; }

        public GroupOperation OpKind { get; set; }

        public bool OpIsReactivation { get; set; }

        public bool CancelRequested { get; set; }

        public string? ReleaseTarget { get; set; }

        public bool ReleaseFailed { get; set; }

        public bool ReleaseStops { get; set; }

        public bool StopRequested { get; set; }

        public TimeSpan? OrphanSince { get; set; }

        public TimeSpan? TakeoverFrom { get; set; }

        public int ReleaseFailures { get; set; }

        /// <summary>This node's knowledge of the group's lease (with a witness).</summary>
        public LeaseState Lease { get; } = new();

        public bool Degraded { get; set; }

        public bool OpIsRetry { get; set; }

        public int ActivationFailures { get; set; }

        public TimeSpan RetryActivateAt { get; set; }

        public TimeSpan RetryReleaseAt { get; set; }
    }

    private sealed class Episode(ulong mask, string[] lost, TimeSpan startedAt)
    {
        public ulong Mask { get; } = mask;

        public string Key { get; } = string.Join(",", lost);

        public TimeSpan StartedAt { get; } = startedAt;

        public string[] Lost { get; } = lost;

        public int Attempts { get; set; }

        public long ProbeOp { get; set; }

        public TimeSpan NextProbeAt { get; set; }

        public SurvivalDecision? Decision { get; set; }

        public TimeSpan FenceNotBefore { get; set; }

        public string Detail { get; set; } = string.Empty;
    }
}
