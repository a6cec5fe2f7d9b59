using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Threading.Channels;
using ClusterPro.DependencyInjection;
using ClusterPro.Diagnostics;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Partition;
using ClusterPro.Resources;
using ClusterPro.Witness;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Failover;

/// <summary>
/// The reference failover manager for one node. Its decisions are made by a decision core with no I/O (membership,
/// ownership epochs, network-partition resolution, fencing, start-up, hand-offs, conflicts, leaving); this class only
/// performs what the core asks for and feeds the results back:
/// <list type="bullet">
/// <item>heartbeats on their own timer, which no group operation, probe or fence can delay;</item>
/// <item>probes, fences, group operations and final actions run off the decision path, at most one operation per group,
/// and come back as inputs; a timed-out resource operation is cancelled and awaited before the group moves on;</item>
/// <item>every plug-in call (resolver, fencing agent, final-action handler, event subscriber) is isolated: an exception
/// becomes a failed result, a log line and a <see cref="FailoverEventKind.PluginFailed"/> event, never a dead loop;</item>
/// <item><see cref="StopAsync"/> stops decisions first (the node leaves: no new takeovers), then releases its groups in
/// order and tells its peers, which take them over at once; <see cref="DisposeAsync"/> is idempotent and never throws.</item>
/// </list>
/// Every step is an event with a timestamp from the <see cref="TimeProvider"/>. It is also the monitors'
/// <see cref="IRecoveryActions"/>: their reactivations and failovers go through the same per-group serialization.
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
    private readonly ClusterProMetrics _metrics;
    private readonly byte[] _key;
    private readonly FailoverCoreSettings _settings;
    private readonly IGroupLeaseStore? _witness;
    private readonly long _origin;
    private readonly Lock _sync = new();
    private readonly List<FailoverEvent> _events = [];
    private readonly List<MonitorRunner> _monitors = [];
    private readonly Dictionary<long, CancellationTokenSource> _operations = [];
    private readonly Dictionary<long, TaskCompletionSource<bool>> _reactivations = [];
    private readonly HashSet<Task> _work = [];
    private readonly List<Task> _loops = [];
    private readonly Channel<FailoverEvent> _eventQueue = Channel.CreateUnbounded<FailoverEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _eventPump;
    private readonly TaskCompletionSource _left = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private FailoverCore _core;
    private CancellationTokenSource? _stopping;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _heartbeatPause;
    private int _state;
    private int _disposed;
    private Task? _shutdown;

    /// <summary>Creates the manager for one node. Hosts get it from <see cref="ClusterProFactory.CreateFailoverManager"/> or
    /// <c>AddFailoverManager()</c>, which compose these parts from the cluster's options and services.</summary>
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
    /// <param name="meterFactory">Metrics.</param>
    /// <param name="witness">The lease store when <see cref="ClusterProOptions.Witness"/> is configured; a group is then activated only while this node holds its lease.</param>
    internal FailoverManager(
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
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null,
        IGroupLeaseStore? witness = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(resolvers);
        ArgumentNullException.ThrowIfNull(finalActions);
        if (!cluster.NodeNames.Contains(nodeName, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{nodeName}' is not a cluster node ({string.Join(", ", cluster.NodeNames)}); check ClusterPro:Nodes.", nameof(nodeName));
        }

        NodeName = cluster.NodeNames.First(n => string.Equals(n, nodeName, StringComparison.OrdinalIgnoreCase));
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
        _metrics = ClusterProMetrics.Get(meterFactory);
        _key = heartbeat.ResolveKey();
        _origin = _time.GetTimestamp();
        _witness = cluster.Witness.Enabled ? witness ?? throw new ArgumentException($"ClusterPro:Witness:Type is '{cluster.Witness.Type}' but no lease store was given; register an IGroupLeaseStore (AddAwsFromConfiguration does for 'dynamodb').", nameof(witness)) : null;
        _settings = CreateSettings(NodeName, cluster, heartbeat, _options, resolvers.Count > 0, fencing is not null);
        _core = new FailoverCore(_settings, NewIncarnation(), Now());
        _core.TakeEffects();
        var adapter = new FinalActionAdapter(this);
        foreach (var group in groups.Values)
        {
            group.FinalActions = adapter;
            group.ResourceCompleted += (_, e) => Emit(
                e.Operation == GroupOperation.Activate ? FailoverEventKind.ResourceActivated : FailoverEventKind.ResourceDeactivated,
                e.Record.Name,
                e.Record.Result.ToString(),
                e.Record.Result.Succeeded);
            group.ResourceCompleted += (_, e) => WakeMonitors(e);
        }

        _eventPump = Task.Run(PumpEventsAsync);
    }

    /// <summary>This node.</summary>
    public string NodeName { get; }

    /// <summary>This node's groups.</summary>
    public IReadOnlyDictionary<string, FailoverGroup> Groups => _groups;

    /// <summary>This node's monitor runners.</summary>
    public IReadOnlyList<MonitorRunner> Monitors => _monitors;

    /// <summary>Whether this node has left the cluster (a step-down, a final action or a stop); it holds nothing and decides nothing until restarted.</summary>
    public bool SteppedDown
    {
        get
        {
            lock (_sync)
            {
                return _core.Mode == NodeMode.Stopped;
            }
        }
    }

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

    /// <summary>Raised for every step, on a background task in order; a subscriber that throws is logged and skipped, never slows the node.</summary>
    public event EventHandler<FailoverEvent>? Event;

    /// <inheritdoc />
    public bool IsAnyOtherNodeHealthy
    {
        get
        {
            lock (_sync)
            {
                return _core.IsAnotherNodeHealthy(null);
            }
        }
    }

    /// <summary>What this node knows of the cluster now: peers, modes, and every group's owner.</summary>
    /// <returns>A snapshot.</returns>
    public ClusterView GetView()
    {
        lock (_sync)
        {
            return _core.GetView();
        }
    }

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

    /// <summary>A while-active monitor starts watching its resource as soon as the resource is active, not an interval later.</summary>
    private void WakeMonitors(ResourceCompletedEventArgs e)
    {
        if (e.Operation == GroupOperation.Activate && e.Record.Result.Succeeded)
        {
            foreach (var monitor in _monitors)
            {
                monitor.NotifyResourceActivated(e.Record.Name);
            }
        }
    }

    /// <summary>Starts heartbeats, the decision loop and the monitors.</summary>
    /// <param name="cancellationToken">Cancellation of the start itself.</param>
    /// <returns>A task.</returns>
    /// <exception cref="InvalidOperationException">The manager was started before.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException($"The failover manager of {NodeName} was started before; create a new one to start the node again.");
        }

        _stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = _stopping.Token;
        lock (_sync)
        {
            _core = new FailoverCore(_settings, _core.Incarnation, Now());
        }

        Dispatch();
        if (_cluster.DescribeSplitBrainRisk(_fencing is not null) is { } risk)
        {
            Log.SplitBrainRisk(_logger, NodeName, risk);
        }

        _loops.Add(Task.Run(() => HeartbeatLoopAsync(token), CancellationToken.None));
        _loops.Add(Task.Run(() => ReceiveLoopAsync(token), CancellationToken.None));
        _loops.Add(Task.Run(() => TickLoopAsync(token), CancellationToken.None));
        foreach (var monitor in _monitors)
        {
            _loops.Add(Task.Run(() => MonitorLoopAsync(monitor, token), CancellationToken.None));
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the node. With <paramref name="deactivateGroups"/> (a planned stop) the node first stops deciding (no new
    /// takeovers), releases its groups in reverse dependency order to the next node (which takes them over at once,
    /// without waiting for the heartbeat timeout or fencing), tells its peers it left, then stops its loops; an
    /// operation that does not finish within <see cref="FailoverManagerOptions.StopTimeout"/> is cancelled. Without it
    /// (a crash), the loops stop where they are.
    /// </summary>
    /// <param name="deactivateGroups">Release the groups (false simulates a crash).</param>
    /// <returns>A task.</returns>
    public async Task StopAsync(bool deactivateGroups = true)
    {
        if (Volatile.Read(ref _state) == 0)
        {
            return;
        }

        if (deactivateGroups && !_left.Task.IsCompleted)
        {
            lock (_sync)
            {
                _core.Leave(Now(), "the host stopped the node");
            }

            Dispatch();
            try
            {
                await _left.Task.WaitAsync(_options.StopTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.StopTimedOut(_logger, NodeName, _options.StopTimeout.TotalSeconds);
            }
        }

        await ShutDownOnceAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (Volatile.Read(ref _state) != 0)
            {
                await ShutDownOnceAsync().ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // Dispose never throws.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.PluginFailed(_logger, ex, NodeName, "stop");
        }

        try
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Dispose never throws.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.PluginFailed(_logger, ex, NodeName, "heartbeat transport");
        }

        _eventQueue.Writer.TryComplete();
        await _eventPump.ConfigureAwait(false);
        _stopping?.Dispose();
    }

    /// <summary>Moves a group this node holds to another node (a manual failover or failback).</summary>
    /// <param name="group">The group.</param>
    /// <param name="targetNode">The node to move it to, or <see langword="null"/> for the next node by priority.</param>
    /// <returns>Whether the move started (the group is active here, and the target runs, hears this node and may run the group).</returns>
    public bool MoveGroup(string group, string? targetNode = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        bool started;
        lock (_sync)
        {
            started = _core.RequestMove(Now(), group, "operator", targetNode, failure: false);
        }

        Dispatch();
        return started;
    }

    /// <inheritdoc />
    public bool IsActive(RecoveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_sync)
        {
            return target.Kind switch
            {
                RecoveryTargetKind.LocalServer => true,
                RecoveryTargetKind.Group => _core.LocalState(target.Name) == GroupClaimState.Active,
                _ => GroupOf(target.Name) is { } g && _core.LocalState(g.Name) == GroupClaimState.Active && g.IsResourceActive(target.Name),
            };
        }
    }

    /// <inheritdoc />
    public bool IsResourceActive(string resourceName)
    {
        var group = GroupOf(resourceName);
        if (group is null || !group.IsResourceActive(resourceName))
        {
            return false;
        }

        lock (_sync)
        {
            return _core.Holds(group.Name);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ReactivateAsync(RecoveryTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var group = target.Kind == RecoveryTargetKind.Group ? target.Name : GroupOf(target.Name)?.Name;
        if (group is null)
        {
            return false;
        }

        TaskCompletionSource<bool> done;
        lock (_sync)
        {
            var id = _core.RequestReactivation(Now(), group, target.Kind == RecoveryTargetKind.Group ? string.Empty : target.Name);
            if (id == 0)
            {
                return false;
            }

            done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _reactivations[id] = done;
        }

        Dispatch();
        return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> RequestFailoverAsync(RecoveryTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var group = target.Kind == RecoveryTargetKind.Group ? target.Name : GroupOf(target.Name)?.Name;
        if (group is null)
        {
            return Task.FromResult(false);
        }

        bool started;
        lock (_sync)
        {
            started = _core.RequestMove(Now(), group, $"failover requested for {target.Name}");
        }

        Dispatch();
        return Task.FromResult(started);
    }

    /// <inheritdoc />
    public Task ExecuteFinalActionAsync(FinalActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_sync)
        {
            _core.RequestFinalAction(Now(), request);
        }

        Dispatch();
        return Task.CompletedTask;
    }

    internal static FailoverCoreSettings CreateSettings(string node, ClusterProOptions cluster, HeartbeatOptions heartbeat, FailoverManagerOptions options, bool resolvers, bool fencing) => new()
    {
        Self = node,
        Nodes = cluster.NodeNames,
        Groups = cluster.Groups.Select(g => new CoreGroupSettings(
            g.Key,
            g.Value.Nodes.Count > 0 ? [.. g.Value.Nodes.Select(n => cluster.NodeNames.First(c => string.Equals(c, n, StringComparison.OrdinalIgnoreCase)))] : cluster.NodeNames,
            g.Value.AutoStart,
            g.Value.AutoFailover,
            g.Value.AutoFailback)).ToList(),
        HeartbeatInterval = heartbeat.Interval,
        HeartbeatTimeout = heartbeat.Timeout,
        MaxClockSkew = heartbeat.MaxClockSkew,
        StartupWait = options.StartupWait ?? heartbeat.Timeout,
        FenceDelay = options.FenceDelay,
        FenceRetryMin = options.FenceRetryInterval,
        FenceRetryMax = options.FenceRetryMax,
        FencingConfigured = fencing,
        ResolversConfigured = resolvers,
        ProbeAttempts = cluster.NetworkPartition.Attempts,
        ProbeRetryInterval = cluster.NetworkPartition.RetryInterval,
        UseMajority = options.UseMajority,
        PartitionAction = options.PartitionAction,
        Witness = cluster.Witness.Enabled,
        LeaseDuration = cluster.Witness.LeaseDuration,
        LeaseCallTimeout = cluster.Witness.AwsCallTimeout,
    };

    private static long NewIncarnation() => RandomNumberGenerator.GetInt32(1, int.MaxValue) * (long)int.MaxValue + RandomNumberGenerator.GetInt32(int.MaxValue);

    private CoreTime Now() => new(_time.GetElapsedTime(_origin), _time.GetUtcNow());

    private FailoverGroup? GroupOf(string resourceName) => _groups.Values.FirstOrDefault(g => g.Contains(resourceName));

    /// <summary>Takes the core's effects and performs them. Never called under the lock.</summary>
    private void Dispatch()
    {
        List<CoreEffect> effects;
        lock (_sync)
        {
            if (!_core.HasEffects)
            {
                return;
            }

            effects = _core.TakeEffects();
        }

        foreach (var effect in effects)
        {
            switch (effect)
            {
                case BroadcastEffect:
                    _wake.TrySetResult();
                    break;
                case EventEffect e:
                    Emit(e.Kind, e.Subject, e.Detail, e.Succeeded, e.FailoverDuration);
                    break;
                case ProbeEffect p:
                    Run(() => ProbeAsync(p.Id));
                    break;
                case FenceEffect f:
                    Run(() => FenceAsync(f.Id, f.Peer));
                    break;
                case GroupOperationEffect g:
                    Run(() => OperateAsync(g));
                    break;
                case ReactivateEffect r:
                    Run(() => ReactivateCoreAsync(r));
                    break;
                case CancelEffect c:
                    lock (_sync)
                    {
                        if (_operations.TryGetValue(c.Id, out var cts))
                        {
                            cts.Cancel();
                        }
                    }

                    break;
                case FinalActionEffect a:
                    Run(() => HandFinalActionAsync(a.Request));
                    break;
                case StoppedEffect:
                    Run(LeaveAsync);
                    break;
                case LeaseEffect l:
                    Run(() => LeaseAsync(l));
                    break;
            }
        }
    }

    /// <summary>
    /// How an effect is started: on the thread pool, so that a plug-in that blocks cannot hold up the loop that
    /// dispatched it. Tests on a fake clock start effects inline instead, so that no effect lags behind the clock.
    /// </summary>
    internal Func<Func<Task>, Task> EffectScheduler { get; set; } = work => Task.Run(work);

    /// <summary>
    /// Whether the heartbeat loop is parked until its next heartbeat is due (or a claim changes). A test on a fake clock
    /// advances the clock only while this holds, so that it never outruns a heartbeat loop the machine has not run yet.
    /// </summary>
    internal bool HeartbeatParked => Volatile.Read(ref _heartbeatPause) is { IsCompleted: false };

    private void Run(Func<Task> work)
    {
        var task = EffectScheduler(work);
        lock (_work)
        {
            _work.Add(task);
        }

        task.ContinueWith(
            t =>
            {
                lock (_work)
                {
                    _work.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private CancellationToken Stopping => _stopping?.Token ?? CancellationToken.None;

    private async Task ProbeAsync(long id)
    {
        var probes = await Task.WhenAll(_resolvers.Select(ProbeOneAsync)).ConfigureAwait(false);
        var reachable = probes.Any(r => r.Status == PartitionProbeStatus.Reachable);
        var detail = string.Join(" ", probes.Select(r => $"[{r.Resolver}: {r.Detail}]"));
        lock (_sync)
        {
            _core.ProbeCompleted(Now(), id, reachable, detail);
        }

        Dispatch();
    }

    private async Task<PartitionProbeResult> ProbeOneAsync(INetworkPartitionResolver resolver)
    {
        try
        {
            return await resolver.ProbeAsync(Stopping).ConfigureAwait(false)
                ?? new PartitionProbeResult(resolver.Name, PartitionProbeStatus.Unreachable, "The resolver returned no result.");
        }
#pragma warning disable CA1031 // A resolver's exception is an unreachable probe, never a dead loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (Stopping.IsCancellationRequested)
            {
                return new PartitionProbeResult(resolver.Name, PartitionProbeStatus.Unreachable, "The node is stopping.");
            }

            PluginFailed(ex, $"network-partition resolver {resolver.Name}");
            return new PartitionProbeResult(resolver.Name, PartitionProbeStatus.Unreachable, $"The resolver failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task FenceAsync(long id, string peer)
    {
        FenceResult result;
        try
        {
            result = _fencing is null
                ? new FenceResult(false, ResultCodes.UnexpectedException, "No fencing agent is configured.")
                : await _fencing.FenceAsync(NodeName, peer, Stopping).ConfigureAwait(false)
                    ?? new FenceResult(false, ResultCodes.UnexpectedException, "The fencing agent returned no result.");
        }
#pragma warning disable CA1031 // A fencing agent's exception is a failed fence, retried; never a dead loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!Stopping.IsCancellationRequested)
            {
                PluginFailed(ex, $"fencing agent (fencing {peer})");
            }

            result = new FenceResult(false, ResultCodes.UnexpectedException, $"The fencing agent failed: {ex.GetType().Name}: {ex.Message}");
        }

        _metrics.Fences.Add(1, new KeyValuePair<string, object?>("outcome", result.Fenced ? "fenced" : "failed"));
        lock (_sync)
        {
            _core.FenceCompleted(Now(), id, result);
        }

        Dispatch();
    }

    private async Task OperateAsync(GroupOperationEffect effect)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        lock (_sync)
        {
            _operations[effect.Id] = cts;
        }

        GroupOperationOutcome outcome;
        var group = _groups[effect.Group];
        try
        {
            var result = effect.Operation == GroupOperation.Activate
                ? await group.ActivateAsync(NodeName, cts.Token).ConfigureAwait(false)
                : await group.DeactivateAsync(NodeName, cts.Token).ConfigureAwait(false);
            outcome = GroupOperationOutcome.From(result);
        }
        catch (OperationCanceledException)
        {
            outcome = new GroupOperationOutcome(null, null, group.IsActive, $"{effect.Operation} of {effect.Group} on {NodeName} was cancelled; active: {Describe(group)}.");
        }
#pragma warning disable CA1031 // The group engine maps resource exceptions; anything else is a failed operation.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PluginFailed(ex, $"group {effect.Group}");
            outcome = new GroupOperationOutcome(null, null, group.IsActive, $"{effect.Operation} of {effect.Group} on {NodeName} failed: {ex.GetType().Name}: {ex.Message}; active: {Describe(group)}.");
        }

        lock (_sync)
        {
            _operations.Remove(effect.Id);
            _core.GroupOperationCompleted(Now(), effect.Id, outcome);
        }

        Dispatch();
    }

    private static string Describe(FailoverGroup group) =>
        group.ActiveResources.Count == 0 ? "none" : string.Join(", ", group.ActiveResources);

    private async Task ReactivateCoreAsync(ReactivateEffect effect)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        lock (_sync)
        {
            _operations[effect.Id] = cts;
        }

        var group = _groups[effect.Group];
        bool succeeded;
        try
        {
            if (effect.Resource.Length == 0)
            {
                var down = await group.DeactivateAsync(NodeName, cts.Token).ConfigureAwait(false);
                succeeded = down.Succeeded && (await group.ActivateAsync(NodeName, cts.Token).ConfigureAwait(false)).Succeeded;
            }
            else
            {
                succeeded = (await group.ReactivateResourceAsync(effect.Resource, NodeName, cts.Token).ConfigureAwait(false)).Succeeded;
            }
        }
#pragma warning disable CA1031 // A failed reactivation is a result for the monitor, never a dead loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (ex is not OperationCanceledException)
            {
                PluginFailed(ex, $"reactivation of {effect.Group}");
            }

            succeeded = false;
        }

        TaskCompletionSource<bool>? waiter;
        lock (_sync)
        {
            _operations.Remove(effect.Id);
            _reactivations.Remove(effect.Id, out waiter);
            _core.ReactivationCompleted(Now(), effect.Id, succeeded);
        }

        waiter?.TrySetResult(succeeded);
        Dispatch();
    }

    private async Task LeaseAsync(LeaseEffect effect)
    {
        LeaseRead? read = null;
        LeaseWrite? write = null;
        try
        {
            var store = _witness!;
            switch (effect.Call)
            {
                case LeaseCall.Read:
                    read = await store.ReadAsync(effect.Group, Stopping).ConfigureAwait(false) ?? LeaseRead.NoAnswer("The lease store returned no result.");
                    break;
                case LeaseCall.Acquire:
                    write = await store.AcquireAsync(effect.Acquisition!, Stopping).ConfigureAwait(false);
                    break;
                case LeaseCall.Renew:
                    write = await store.RenewAsync(effect.Group, NodeName, effect.Epoch, effect.RecordVersion!, Stopping).ConfigureAwait(false);
                    break;
                default:
                    write = await store.ReleaseAsync(effect.Group, NodeName, effect.Epoch, effect.RecordVersion!, Stopping).ConfigureAwait(false);
                    break;
            }
        }
#pragma warning disable CA1031 // A lease store's exception is an unknown outcome, never a dead loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (!Stopping.IsCancellationRequested)
            {
                PluginFailed(ex, $"lease store ({effect.Call} {effect.Group})");
            }

            var detail = $"The lease store failed: {ex.GetType().Name}: {ex.Message}";
            read = effect.Call == LeaseCall.Read ? LeaseRead.NoAnswer(detail) : null;
            write = effect.Call == LeaseCall.Read ? null : LeaseWrite.Unknown(detail);
        }

        write ??= effect.Call == LeaseCall.Read ? null : LeaseWrite.Unknown("The lease store returned no result.");
        lock (_sync)
        {
            _core.LeaseCompleted(Now(), effect.Id, read, write);
        }

        Dispatch();
    }

    private async Task HandFinalActionAsync(FinalActionRequest request)
    {
        try
        {
            await _finalActions.ExecuteAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The host's handler is isolated.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            PluginFailed(ex, $"final-action handler ({request.Action})");
        }
    }

    private async Task LeaveAsync()
    {
        // The last heartbeats say "left"; several, since any one of them may be lost.
        for (var i = 0; i < 3; i++)
        {
            await SendHeartbeatAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _left.TrySetResult();

        // A step-down or a final action stops the node on its own; a stop by the host is already waiting for this.
        _ = Task.Run(ShutDownOnceAsync);
    }

    private Task ShutDownOnceAsync()
    {
        lock (_work)
        {
            return _shutdown ??= ShutDownLoopsAsync();
        }
    }

    private async Task ShutDownLoopsAsync()
    {
        await Task.Yield();
        if (_stopping is not null)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await WhenAllQuietly(_loops).ConfigureAwait(false);
        Task[] work;
        lock (_work)
        {
            work = [.. _work];
        }

        await WhenAllQuietly(work).ConfigureAwait(false);
        lock (_sync)
        {
            foreach (var waiter in _reactivations.Values)
            {
                waiter.TrySetResult(false);
            }

            _reactivations.Clear();
        }
    }

    private static async Task WhenAllQuietly(IEnumerable<Task> tasks)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Loops log their own failures; stopping waits for them quietly.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task SendHeartbeatAsync(CancellationToken cancellationToken)
    {
        HeartbeatMessage message;
        lock (_sync)
        {
            message = _core.CreateHeartbeat(Now());
        }

        var packet = HeartbeatCodec.Encode(message, _key);
        foreach (var peer in _settings.Nodes)
        {
            if (string.Equals(peer, NodeName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                await _transport.SendAsync(peer, packet, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A lost heartbeat is what heartbeats are for; the peer's timeout handles it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.HeartbeatSendFailed(_logger, NodeName, peer, ex.Message);
            }
        }
    }

    private Task HeartbeatLoopAsync(CancellationToken cancellationToken) => KeepRunningAsync(
        "heartbeat sender",
        async ct =>
        {
            // A claim that changes from here on wakes the loop early; the heartbeat below carries earlier changes.
            Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await SendHeartbeatAsync(ct).ConfigureAwait(false);
            var pause = Task.WhenAny(Task.Delay(_heartbeat.Interval, _time, ct), _wake.Task);
            Volatile.Write(ref _heartbeatPause, pause);
            await pause.ConfigureAwait(false);
        },
        cancellationToken,
        pause => Volatile.Write(ref _heartbeatPause, pause));

    private Task ReceiveLoopAsync(CancellationToken cancellationToken) => KeepRunningAsync(
        "heartbeat receiver",
        async ct =>
        {
            var packet = await _transport.ReceiveAsync(ct).ConfigureAwait(false);
            Receive(packet.Span);
        },
        cancellationToken);

    private void Receive(ReadOnlySpan<byte> packet)
    {
        HeartbeatRejection verdict;
        string sender;
        if (!HeartbeatCodec.TryDecode(packet, _key, out var message))
        {
            verdict = HeartbeatRejection.Unauthenticated;
            sender = "?";
            lock (_sync)
            {
                _core.Dropped[verdict] = _core.Dropped.GetValueOrDefault(verdict) + 1;
            }
        }
        else
        {
            sender = message!.Node;
            lock (_sync)
            {
                verdict = _core.Receive(Now(), message);
            }
        }

        if (verdict != HeartbeatRejection.None)
        {
            _metrics.HeartbeatsDropped.Add(1, new KeyValuePair<string, object?>("reason", verdict.ToString()));
            Log.HeartbeatDropped(_logger, NodeName, verdict, sender);
        }

        Dispatch();
    }

    private Task TickLoopAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(_heartbeat.Interval.Ticks, _heartbeat.Timeout.Ticks / 4) / 2));
        return KeepRunningAsync(
            "decision loop",
            async ct =>
            {
                lock (_sync)
                {
                    _core.Tick(Now());
                }

                Dispatch();
                await Task.Delay(period, _time, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    private Task MonitorLoopAsync(MonitorRunner monitor, CancellationToken cancellationToken) =>
        KeepRunningAsync($"monitor {monitor.Name}", monitor.RunAsync, cancellationToken);

    /// <summary>
    /// One of the node's loops: runs <paramref name="iteration"/> again and again until the node stops. A loop never
    /// dies: an exception (a plug-in's, or the transport's) is reported as a failed plug-in and the loop goes on after a
    /// heartbeat interval.
    /// </summary>
    /// <param name="what">What the loop runs, for the report.</param>
    /// <param name="iteration">One turn of the loop.</param>
    /// <param name="cancellationToken">Cancelled when the node stops.</param>
    /// <param name="paused">Told of the pause after a failure (the heartbeat loop's test hook).</param>
    private async Task KeepRunningAsync(string what, Func<CancellationToken, Task> iteration, CancellationToken cancellationToken, Action<Task>? paused = null)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await iteration(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The node's loops never die.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                PluginFailed(ex, what);
                var pause = PauseAsync(cancellationToken);
                paused?.Invoke(pause);
                await pause.ConfigureAwait(false);
            }
        }
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_heartbeat.Interval, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void PluginFailed(Exception exception, string plugin)
    {
        Log.PluginFailed(_logger, exception, NodeName, plugin);
        Emit(FailoverEventKind.PluginFailed, plugin, $"{plugin} threw {exception.GetType().Name}: {exception.Message}", false);
    }

    private void Emit(FailoverEventKind kind, string subject, string detail, bool succeeded = true, TimeSpan? failoverDuration = null)
    {
        var e = new FailoverEvent(_time.GetUtcNow(), NodeName, kind, subject, detail, succeeded);
        lock (_events)
        {
            _events.Add(e);
        }

        FailoverLog.Write(_logger, e);
        if (failoverDuration is { } duration)
        {
            _metrics.FailoverDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("group", subject));
        }

        if (kind == FailoverEventKind.GroupHandedOff)
        {
            _metrics.Handoffs.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "started" : "no-target"));
        }

        _eventQueue.Writer.TryWrite(e);
    }

    private async Task PumpEventsAsync()
    {
        await foreach (var e in _eventQueue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            FailoverEventHandlers.RaiseEach(Event, this, e, ex => Log.PluginFailed(_logger, ex, NodeName, "an Event subscriber"));
        }
    }

    /// <summary>Routes the final actions that a group's resources take into the decision core, so the node leaves in order.</summary>
    private sealed class FinalActionAdapter(FailoverManager manager) : IFinalActionHandler
    {
        public Task ExecuteAsync(FinalActionRequest request, CancellationToken cancellationToken = default) =>
            manager.ExecuteFinalActionAsync(request, cancellationToken);
    }
}
