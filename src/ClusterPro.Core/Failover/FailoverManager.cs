using ClusterPro.DependencyInjection;
using ClusterPro.Diagnostics;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Partition;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Failover;

/// <summary>What happened, for the timeline.</summary>
public enum FailoverEventKind
{
    /// <summary>The manager started.</summary>
    Started,

    /// <summary>A peer's heartbeats stopped (it is down).</summary>
    HeartbeatLost,

    /// <summary>A peer's heartbeats came back.</summary>
    HeartbeatRestored,

    /// <summary>Network-partition resolution decided.</summary>
    PartitionVerdict,

    /// <summary>Fencing of a peer started.</summary>
    FenceStarted,

    /// <summary>Fencing finished (see the detail for the outcome).</summary>
    FenceCompleted,

    /// <summary>A resource was activated (or failed to).</summary>
    ResourceActivated,

    /// <summary>A resource was deactivated (or failed to).</summary>
    ResourceDeactivated,

    /// <summary>A group activation finished.</summary>
    GroupActivated,

    /// <summary>A group deactivation finished.</summary>
    GroupDeactivated,

    /// <summary>A group was handed to another node.</summary>
    GroupHandedOff,

    /// <summary>This node stepped down (isolated or losing side).</summary>
    SteppedDown,

    /// <summary>A final action went to the host.</summary>
    FinalAction,
}

/// <summary>One step of the failover manager, timestamped by its <see cref="TimeProvider"/>.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="Node">On which node.</param>
/// <param name="Kind">What.</param>
/// <param name="Subject">The peer, group or resource concerned.</param>
/// <param name="Detail">The outcome in words (codes and messages included).</param>
/// <param name="Succeeded">Whether the step succeeded.</param>
public sealed record FailoverEvent(DateTimeOffset Timestamp, string Node, FailoverEventKind Kind, string Subject, string Detail, bool Succeeded = true);

/// <summary>Failover manager settings.</summary>
public sealed class FailoverManagerOptions
{
    /// <summary>How long to listen for peers before starting groups at cluster start. <value>Default: the heartbeat timeout.</value></summary>
    public TimeSpan? StartupWait { get; set; }

    /// <summary>How long any node but the master waits before fencing, so two isolated nodes do not fence each other. <value>Default: 5 s.</value></summary>
    public TimeSpan FenceDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The final action when this node finds itself isolated. <value>Default: <see cref="FinalAction.StopClusterServiceAndShutdownOs"/> (handed to the host).</value></summary>
    public FinalAction PartitionAction { get; set; } = FinalAction.StopClusterServiceAndShutdownOs;

    /// <summary>Decide splits by majority (three or more nodes). <value>Default: true.</value></summary>
    public bool UseMajority { get; set; } = true;
}

/// <summary>
/// The reference failover manager for one node: heartbeats and membership, start-up by priority (master first), on
/// peer loss network-partition resolution → fencing (when configured) → group activation, stepping down when
/// isolated, monitor-driven failover as a group hand-off, and manual failback. Every step is an event with a
/// timestamp from the <see cref="TimeProvider"/>. It is also the monitors' <see cref="IRecoveryActions"/>.
/// </summary>
public sealed class FailoverManager : IRecoveryActions, IAsyncDisposable
{
    private readonly ClusterProOptions _cluster;
    private readonly IReadOnlyDictionary<string, FailoverGroup> _groups;
    private readonly HeartbeatOptions _heartbeat;
    private readonly IHeartbeatTransport _transport;
    private readonly IReadOnlyList<INetworkPartitionResolver> _resolvers;
    private readonly IFencingAgent? _fencing;
    private readonly IFinalActionHandler _finalActions;
    private readonly FailoverManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly byte[] _key;
    private readonly long _incarnation;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, PeerState> _lastStates = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (GroupHandoff Handoff, DateTimeOffset Until)> _handoffs = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _handoffsTaken = new(StringComparer.Ordinal);
    private readonly List<FailoverEvent> _events = [];
    private readonly List<MonitorRunner> _monitors = [];
    private CancellationTokenSource? _stopping;
    private readonly List<Task> _loops = [];
    private DateTimeOffset _startedAt;
    private bool _startupDone;
    private long _sequence;

    /// <summary>Creates the manager for one node.</summary>
    /// <param name="nodeName">This node.</param>
    /// <param name="cluster">The cluster (nodes in priority order, groups).</param>
    /// <param name="groups">This node's groups (fresh instances from <see cref="ClusterProFactory.CreateGroup"/>).</param>
    /// <param name="heartbeat">Heartbeat settings (and the shared key).</param>
    /// <param name="transport">The heartbeat transport.</param>
    /// <param name="resolvers">NP resolvers (reachable when any reaches its target).</param>
    /// <param name="fencing">The fencing agent, or null.</param>
    /// <param name="finalActions">The host's final-action handler.</param>
    /// <param name="options">Start-up wait, fence delay, partition action.</param>
    /// <param name="timeProvider">Time.</param>
    /// <param name="loggerFactory">Logging.</param>
    public FailoverManager(
        string nodeName,
        ClusterProOptions cluster,
        IReadOnlyDictionary<string, FailoverGroup> groups,
        HeartbeatOptions heartbeat,
        IHeartbeatTransport transport,
        IReadOnlyList<INetworkPartitionResolver> resolvers,
        IFencingAgent? fencing,
        IFinalActionHandler finalActions,
        FailoverManagerOptions? options = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(heartbeat);
        NodeName = nodeName;
        _cluster = cluster;
        _groups = groups;
        _heartbeat = heartbeat;
        _transport = transport;
        _resolvers = resolvers;
        _fencing = fencing;
        _finalActions = finalActions;
        _options = options ?? new FailoverManagerOptions();
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FailoverManager>();
        _key = heartbeat.ResolveKey();
        _incarnation = _time.GetUtcNow().ToUnixTimeMilliseconds();
        Membership = new Membership(nodeName, cluster.NodeNames, heartbeat, _time);
        foreach (var group in groups.Values)
        {
            group.ResourceCompleted += (_, e) => Emit(
                e.Operation == GroupOperation.Activate ? FailoverEventKind.ResourceActivated : FailoverEventKind.ResourceDeactivated,
                e.Record.Name,
                e.Record.Result.ToString(),
                e.Record.Result.Succeeded);
        }
    }

    /// <summary>This node.</summary>
    public string NodeName { get; }

    /// <summary>Heartbeat membership (peer states, dropped-packet counters).</summary>
    public Membership Membership { get; }

    /// <summary>This node's groups.</summary>
    public IReadOnlyDictionary<string, FailoverGroup> Groups => _groups;

    /// <summary>This node's monitor runners.</summary>
    public IReadOnlyList<MonitorRunner> Monitors => _monitors;

    /// <summary>Whether this node stepped down after a partition (it then leaves the cluster until restarted).</summary>
    public bool SteppedDown { get; private set; }

    /// <summary>Every event so far.</summary>
    public IReadOnlyList<FailoverEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Raised for every step.</summary>
    public event EventHandler<FailoverEvent>? Event;

    /// <inheritdoc />
    public bool IsAnyOtherNodeHealthy => Membership.Alive.Count > 0;

    /// <summary>Completes with the next event of <paramref name="kind"/> (subscribe before causing it).</summary>
    /// <param name="kind">The kind of event.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The event.</returns>
    public Task<FailoverEvent> NextEventAsync(FailoverEventKind kind, CancellationToken cancellationToken = default)
    {
        var next = new TaskCompletionSource<FailoverEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(object? sender, FailoverEvent e)
        {
            if (e.Kind == kind && next.TrySetResult(e))
            {
                Event -= Handler;
            }
        }

        Event += Handler;
        cancellationToken.Register(() =>
        {
            Event -= Handler;
            next.TrySetCanceled(cancellationToken);
        });
        return next.Task;
    }

    /// <summary>Adds this node's monitors (created with this manager as their recovery actions).</summary>
    /// <param name="runners">The runners.</param>
    public void AddMonitors(IEnumerable<MonitorRunner> runners) => _monitors.AddRange(runners);

    /// <summary>Starts heartbeats, the decision loop and the monitors.</summary>
    /// <param name="cancellationToken">Cancellation of the start itself.</param>
    /// <returns>A task.</returns>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _startedAt = _time.GetUtcNow();
        Emit(FailoverEventKind.Started, NodeName, $"Listening for peers; groups start after {StartupWait.TotalSeconds:0.#} s.");
        var token = _stopping.Token;
        _loops.Add(Task.Run(() => ReceiveLoopAsync(token), CancellationToken.None));
        _loops.Add(Task.Run(() => TickLoopAsync(token), CancellationToken.None));
        foreach (var monitor in _monitors)
        {
            _loops.Add(Task.Run(() => monitor.RunAsync(token), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops the loops; optionally deactivates this node's groups first (a clean stop).</summary>
    /// <param name="deactivateGroups">Deactivate the groups (false simulates a crash).</param>
    /// <returns>A task.</returns>
    public async Task StopAsync(bool deactivateGroups = true)
    {
        if (deactivateGroups)
        {
            foreach (var group in _groups.Values.Where(g => g.IsActive))
            {
                await DeactivateGroupAsync(group.Name).ConfigureAwait(false);
            }
        }

        if (_stopping is not null)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(_loops).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            _loops.Clear();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(deactivateGroups: false).ConfigureAwait(false);
        _stopping?.Dispose();
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Sends one heartbeat to every peer.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task.</returns>
    public async Task SendHeartbeatAsync(CancellationToken cancellationToken = default)
    {
        List<GroupHandoff> handoffs;
        lock (_handoffs)
        {
            var now = _time.GetUtcNow();
            foreach (var expired in _handoffs.Where(h => h.Value.Until < now).Select(h => h.Key).ToList())
            {
                _handoffs.Remove(expired);
            }

            handoffs = _handoffs.Values.Select(h => h.Handoff).ToList();
        }

        var message = new HeartbeatMessage(NodeName, _incarnation, Interlocked.Increment(ref _sequence), _groups.Values.Where(g => g.IsActive).Select(g => g.Name).ToList(), handoffs);
        var packet = HeartbeatCodec.Encode(message, _key);
        foreach (var peer in _cluster.NodeNames.Where(n => !Is(n, NodeName)))
        {
            await _transport.SendAsync(peer, packet, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Handles one received packet (authentication, replay protection, membership).</summary>
    /// <param name="packet">The packet.</param>
    /// <returns>Why it was dropped, or <see cref="HeartbeatRejection.None"/>.</returns>
    public HeartbeatRejection Receive(ReadOnlySpan<byte> packet)
    {
        if (!HeartbeatCodec.TryDecode(packet, _key, out var message))
        {
            Membership.CountUnauthenticated();
            Log.HeartbeatDropped(_logger, NodeName, HeartbeatRejection.Unauthenticated, "?");
            return HeartbeatRejection.Unauthenticated;
        }

        var verdict = Membership.Accept(message!);
        if (verdict != HeartbeatRejection.None)
        {
            Log.HeartbeatDropped(_logger, NodeName, verdict, message!.Node);
        }

        return verdict;
    }

    /// <summary>One decision step: peer transitions, hand-offs, partition resolution, start-up, conflicts.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task.</returns>
    public async Task EvaluateAsync(CancellationToken cancellationToken = default)
    {
        if (SteppedDown)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var lost = new List<string>();
            foreach (var peer in _cluster.NodeNames.Where(n => !Is(n, NodeName)))
            {
                var state = Membership.State(peer);
                var previous = _lastStates.GetValueOrDefault(peer, PeerState.Unknown);
                if (state == PeerState.Down && previous is PeerState.Up or PeerState.Suspect)
                {
                    lost.Add(peer);
                    Emit(FailoverEventKind.HeartbeatLost, peer, $"No heartbeat from {peer} for {_heartbeat.Timeout.TotalSeconds:0.#} s.");
                }
                else if (state is PeerState.Up && previous is PeerState.Down)
                {
                    Emit(FailoverEventKind.HeartbeatRestored, peer, $"{peer} is back; groups stay where they are (manual failback).");
                }

                _lastStates[peer] = state;
            }

            await TakeHandoffsAsync(cancellationToken).ConfigureAwait(false);
            if (lost.Count > 0)
            {
                await ResolvePeerLossAsync(lost, cancellationToken).ConfigureAwait(false);
            }

            if (!_startupDone && !SteppedDown && _time.GetUtcNow() - _startedAt >= StartupWait)
            {
                _startupDone = true;
                await StartGroupsAsync(cancellationToken).ConfigureAwait(false);
            }

            await ResolveConflictsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Activates a group on this node (manual operation or decision).</summary>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The result.</returns>
    public async Task<GroupOperationResult> ActivateGroupAsync(string group, CancellationToken cancellationToken = default)
    {
        var result = await _groups[group].ActivateAsync(NodeName, cancellationToken).ConfigureAwait(false);
        Emit(FailoverEventKind.GroupActivated, group, result.ToString(), result.Succeeded);
        if (result.Outcome == GroupOutcome.FailoverRequested)
        {
            await HandOffAsync(group, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Deactivates a group on this node.</summary>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The result.</returns>
    public async Task<GroupOperationResult> DeactivateGroupAsync(string group, CancellationToken cancellationToken = default)
    {
        var result = await _groups[group].DeactivateAsync(NodeName, cancellationToken).ConfigureAwait(false);
        Emit(FailoverEventKind.GroupDeactivated, group, result.ToString(), result.Succeeded);
        return result;
    }

    /// <inheritdoc />
    public bool IsActive(RecoveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Kind switch
        {
            RecoveryTargetKind.LocalServer => true,
            RecoveryTargetKind.Group => _groups.TryGetValue(target.Name, out var g) && g.IsActive,
            _ => IsResourceActive(target.Name),
        };
    }

    /// <inheritdoc />
    public bool IsResourceActive(string resourceName) => _groups.Values.Any(g => g.IsResourceActive(resourceName));

    /// <inheritdoc />
    public async Task<bool> ReactivateAsync(RecoveryTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Kind == RecoveryTargetKind.Group)
        {
            await DeactivateGroupAsync(target.Name, cancellationToken).ConfigureAwait(false);
            return (await ActivateGroupAsync(target.Name, cancellationToken).ConfigureAwait(false)).Succeeded;
        }

        var group = _groups.Values.First(g => g.Contains(target.Name));
        return (await group.ReactivateResourceAsync(target.Name, NodeName, cancellationToken).ConfigureAwait(false)).Succeeded;
    }

    /// <inheritdoc />
    public async Task<bool> RequestFailoverAsync(RecoveryTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var group = target.Kind == RecoveryTargetKind.Group ? target.Name : _groups.Values.FirstOrDefault(g => g.Contains(target.Name))?.Name;
        return group is not null && await HandOffAsync(group, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ExecuteFinalActionAsync(FinalActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Emit(FailoverEventKind.FinalAction, request.Source, $"{request.Action}: {request.Reason}");
        if (request.Action == FinalAction.StopGroup && request.GroupName is not null)
        {
            await DeactivateGroupAsync(request.GroupName, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (request.Action is FinalAction.StopClusterService or FinalAction.StopClusterServiceAndShutdownOs or FinalAction.StopClusterServiceAndRebootOs)
        {
            foreach (var group in _groups.Values.Where(g => g.IsActive))
            {
                await DeactivateGroupAsync(group.Name, cancellationToken).ConfigureAwait(false);
            }

            SteppedDown = true;
        }

        await _finalActions.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan StartupWait => _options.StartupWait ?? _heartbeat.Timeout;

    private static bool Is(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private IReadOnlyList<string> GroupNodes(string group) =>
        _cluster.Groups.TryGetValue(group, out var g) && g.Nodes.Count > 0 ? [.. g.Nodes] : _cluster.NodeNames;

    private string? OwnerAmongAlive(string group) =>
        Membership.Alive.FirstOrDefault(p => Membership.Last(p)?.ActiveGroups.Contains(group, StringComparer.OrdinalIgnoreCase) == true);

    private bool IsBestCandidate(string group, IEnumerable<string> excluded)
    {
        var alive = Membership.Alive;
        var first = GroupNodes(group).FirstOrDefault(n => (Is(n, NodeName) || alive.Contains(n, StringComparer.OrdinalIgnoreCase)) && !excluded.Contains(n, StringComparer.OrdinalIgnoreCase));
        return first is not null && Is(first, NodeName);
    }

    private async Task StartGroupsAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, group) in _groups)
        {
            var settings = (_cluster.Groups.TryGetValue(name, out var s) ? s : null);
            if (settings?.AutoStart == false || group.IsActive || OwnerAmongAlive(name) is not null || !IsBestCandidate(name, []))
            {
                continue;
            }

            await ActivateGroupAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ResolvePeerLossAsync(List<string> lost, CancellationToken cancellationToken)
    {
        var probe = await ProbeAsync(cancellationToken).ConfigureAwait(false);
        var view = new PartitionView(NodeName, _cluster.NodeNames, Membership.Alive, probe.Probe, _options.UseMajority, _fencing is not null);
        var decision = SurvivalDecider.Decide(view, _options.FenceDelay);
        Emit(FailoverEventKind.PartitionVerdict, string.Join(",", lost), $"{decision.Action}: {decision.Reason} {probe.Detail}".Trim(), decision.Action != SurvivalAction.StepDown);
        if (decision.Action == SurvivalAction.StepDown)
        {
            Emit(FailoverEventKind.SteppedDown, NodeName, decision.Reason);
            await ExecuteFinalActionAsync(new FinalActionRequest(_options.PartitionAction, "network-partition", NodeName, null, decision.Reason), cancellationToken).ConfigureAwait(false);
            SteppedDown = true;
            return;
        }

        if (decision.Action != SurvivalAction.TakeOver)
        {
            return;
        }

        var toTake = _groups.Keys.Where(g =>
            !_groups[g].IsActive &&
            !(_cluster.Groups.TryGetValue(g, out var s) && !s.AutoFailover) &&
            OwnerAmongAlive(g) is null &&
            (lost.Any(p => Membership.Last(p)?.ActiveGroups.Contains(g, StringComparer.OrdinalIgnoreCase) == true) || _startupDone) &&
            IsBestCandidate(g, lost)).ToList();
        if (toTake.Count == 0 && !_groups.Values.Any(g => g.IsActive))
        {
            return;
        }

        // A node that holds or takes a group fences the lost peers first, so they cannot hold it too.
        if (decision.MustFence && _fencing is not null)
        {
            if (decision.FenceDelay > TimeSpan.Zero)
            {
                await Task.Delay(decision.FenceDelay, _time, cancellationToken).ConfigureAwait(false);
            }

            foreach (var peer in lost)
            {
                Emit(FailoverEventKind.FenceStarted, peer, $"Stopping {peer}.");
                var fenced = await _fencing.FenceAsync(NodeName, peer, cancellationToken).ConfigureAwait(false);
                Emit(FailoverEventKind.FenceCompleted, peer, $"{fenced.Code} {fenced.Message}", fenced.Fenced);
                if (!fenced.Fenced)
                {
                    Log.TakeoverAbandoned(_logger, NodeName, peer, fenced.Message);
                    return;
                }
            }
        }

        foreach (var group in toTake)
        {
            await ActivateGroupAsync(group, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<(NetworkPartitionProbe Probe, string Detail)> ProbeAsync(CancellationToken cancellationToken)
    {
        if (_resolvers.Count == 0)
        {
            return (NetworkPartitionProbe.NotConfigured, string.Empty);
        }

        var results = await Task.WhenAll(_resolvers.Select(r => r.ProbeAsync(cancellationToken))).ConfigureAwait(false);
        var detail = string.Join(" ", results.Select(r => $"[{r.Resolver}: {r.Detail}]"));
        return (results.Any(r => r.Status == PartitionProbeStatus.Reachable) ? NetworkPartitionProbe.Reachable : NetworkPartitionProbe.Unreachable, detail);
    }

    private async Task TakeHandoffsAsync(CancellationToken cancellationToken)
    {
        foreach (var peer in Membership.Alive)
        {
            var last = Membership.Last(peer);
            foreach (var handoff in last?.Handoffs.Where(h => Is(h.Target, NodeName)) ?? [])
            {
                var key = $"{peer}/{last!.Incarnation}/{handoff.Group}";
                if (_groups.TryGetValue(handoff.Group, out var group) && !group.IsActive && _handoffsTaken.Add(key) &&
                    !last.ActiveGroups.Contains(handoff.Group, StringComparer.OrdinalIgnoreCase))
                {
                    Emit(FailoverEventKind.GroupHandedOff, handoff.Group, $"{peer} handed {handoff.Group} to {NodeName}.");
                    await ActivateGroupAsync(handoff.Group, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<bool> HandOffAsync(string group, CancellationToken cancellationToken)
    {
        var alive = Membership.Alive;
        var target = GroupNodes(group).FirstOrDefault(n => !Is(n, NodeName) && alive.Contains(n, StringComparer.OrdinalIgnoreCase));
        if (target is null)
        {
            Emit(FailoverEventKind.GroupHandedOff, group, $"No other node is up to take {group}; it stays here.", false);
            return false;
        }

        if (_groups[group].IsActive)
        {
            await DeactivateGroupAsync(group, cancellationToken).ConfigureAwait(false);
        }

        lock (_handoffs)
        {
            _handoffs[group] = (new GroupHandoff(group, target), _time.GetUtcNow() + (2 * _heartbeat.Timeout));
        }

        Emit(FailoverEventKind.GroupHandedOff, group, $"{NodeName} released {group} for {target}.");
        await SendHeartbeatAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task ResolveConflictsAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, group) in _groups.Where(g => g.Value.IsActive))
        {
            var owner = OwnerAmongAlive(name);
            if (owner is null)
            {
                continue;
            }

            var order = GroupNodes(name).ToList();
            if (order.FindIndex(n => Is(n, owner)) < order.FindIndex(n => Is(n, NodeName)))
            {
                Log.GroupConflict(_logger, NodeName, name, owner);
                await DeactivateGroupAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var packet = await _transport.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            Receive(packet.Span);
        }
    }

    private async Task TickLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await SendHeartbeatAsync(cancellationToken).ConfigureAwait(false);
            await EvaluateAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(_heartbeat.Interval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Emit(FailoverEventKind kind, string subject, string detail, bool succeeded = true)
    {
        var e = new FailoverEvent(_time.GetUtcNow(), NodeName, kind, subject, detail, succeeded);
        lock (_events)
        {
            _events.Add(e);
        }

        Log.FailoverStep(_logger, NodeName, kind, subject, detail);
        Event?.Invoke(this, e);
    }
}
