using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Threading.Channels;
using ClusterPro.DependencyInjection;
using ClusterPro.Diagnostics;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Partition;
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
public sealed partial class FailoverManager : IRecoveryActions, IAsyncDisposable
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
    private readonly IDisposable _gauges;
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
        _gauges = _metrics.Track(this);
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
        _startedAt = _time.GetUtcNow();
        lock (_sync)
        {
            _core = new FailoverCore(_settings, _core.Incarnation, Now());
            RestoreOperatorState();
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

        _gauges.Dispose();

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
}
