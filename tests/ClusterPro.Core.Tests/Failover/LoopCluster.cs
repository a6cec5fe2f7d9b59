using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Partition;
using ClusterPro.Resources;
using ClusterPro.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Core.Tests.Failover;

/// <summary>
/// Real failover managers — their real heartbeat, receive, decision and monitor loops — exchanging real UDP heartbeats
/// on loopback, on one fake clock that the test advances. After every advance the cluster settles: every heartbeat
/// sent has been received and processed, and every running node's heartbeat loop is parked until its next heartbeat is
/// due (so the clock never outruns a loop the machine has not scheduled yet). Each node has one group resource per group whose activation can be made slow
/// (in fake time), an in-memory "instance" that fencing stops, and an NP target per node.
/// </summary>
internal sealed class LoopCluster : IAsyncDisposable
{
    private readonly HeartbeatLedger _ledger = new();

    public LoopCluster(int nodes = 2, TimeSpan? interval = null, TimeSpan? timeout = null, bool fencing = true, params string[] groups)
    {
        Options.Heartbeat.Interval = interval ?? TimeSpan.FromMilliseconds(100);
        Options.Heartbeat.Timeout = timeout ?? TimeSpan.FromMilliseconds(600);
        Options.Heartbeat.Key = "a-shared-secret-of-32-characters";
        Options.Failover.FenceDelay = TimeSpan.FromMilliseconds(300);
        Options.NetworkPartition.Attempts = 1;
        Fencing = fencing;
        for (var i = 1; i <= nodes; i++)
        {
            var name = $"node{i}";
            Options.AddNode(name);
            Options.Heartbeat.Endpoints[name] = $"127.0.0.1:{FreeUdpPort()}";
            Running[name] = true;
            NpReachable[name] = true;
        }

        foreach (var g in groups.Length == 0 ? ["failover1"] : groups)
        {
            var group = new GroupOptions();
            group.Resources.Add(new GroupResourceOptions { Name = $"{g}-res" });
            Options.Groups[g] = group;
        }
    }

    /// <summary>The witness the managers use when <c>Options.Witness</c> is enabled.</summary>
    public InMemoryGroupLeaseStore Witness { get; } = new();

    /// <summary>Logging for the managers started from now on.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-28T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public ClusterProOptions Options { get; } = new();

    public bool Fencing { get; }

    /// <summary>Per node: its "instance" runs (fencing stops it).</summary>
    public ConcurrentDictionary<string, bool> Running { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per node: whether its NP target answers.</summary>
    public ConcurrentDictionary<string, bool> NpReachable { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per group: the node its resource was last activated on (what "AWS" points at).</summary>
    public ConcurrentDictionary<string, string> Owner { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per node: how long an activation takes there (fake time).</summary>
    public ConcurrentDictionary<string, TimeSpan> ActivationDelay { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, FailoverManager> Managers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every resource operation in order: activate or deactivate, and the context it was given (cause, peer).</summary>
    public ConcurrentQueue<(string Operation, ResourceContext Context)> Operations { get; } = new();

    public RecordingFinalActions FinalActions { get; } = new();

    /// <summary>Per node: the fencing agent (replace before <see cref="Start"/> to inject faults).</summary>
    public Dictionary<string, IFencingAgent> FencingAgents { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Per node: extra NP resolvers (replace before <see cref="Start"/> to inject faults).</summary>
    public Dictionary<string, INetworkPartitionResolver> Resolvers { get; } = new(StringComparer.OrdinalIgnoreCase);

    private Dictionary<string, CountingHeartbeatTransport> Transports { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Cuts the heartbeats between two nodes, both ways.</summary>
    public void Cut(string a, string b) => _ledger.Cut(a, b);

    /// <summary>Creates (and starts) a node's manager; <paramref name="monitors"/> become its monitor runners.</summary>
    public FailoverManager Start(string node, IFinalActionHandler? finalActions = null, params (IMonitorResource Monitor, MonitorOptions Options)[] monitors)
    {
        Running[node] = true;
        var groups = Options.Groups.ToDictionary(
            g => g.Key,
            g => new FailoverGroup(g.Key, [new GroupMember(Resource(g.Key), g.Value.Resources[0])], null, Time),
            StringComparer.OrdinalIgnoreCase);
        var endpoints = Options.Heartbeat.Endpoints.ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);
        var transport = new CountingHeartbeatTransport(new UdpHeartbeatTransport(node, endpoints), node, _ledger);
        Transports[node] = transport;
        var fencing = Fencing ? FencingAgents.GetValueOrDefault(node) ?? new Fence(Running) : null;
        var resolver = Resolvers.GetValueOrDefault(node) ?? new Probe(node, NpReachable);
        var manager = new FailoverManager(node, Options, groups, Options.Heartbeat, transport, [resolver], fencing, finalActions ?? FinalActions, Options.Failover, Time, LoggerFactory, witness: Options.Witness.Enabled ? Witness : null);
        manager.AddMonitors(monitors.Select(m => new MonitorRunner(m.Monitor, m.Options, node, manager, Time)));
        FailoverManagerTestHooks.RunEffectsInline(manager);
        Managers[node] = manager;
        manager.StartAsync().GetAwaiter().GetResult();
        return manager;

        IGroupResource Resource(string group) => new DelegateGroupResource(
            $"{group}-res",
            async (ctx, ct) =>
            {
                Operations.Enqueue(("activate", ctx));
                if (ActivationDelay.TryGetValue(ctx.NodeName, out var delay) && delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, Time, ct);
                }

                Owner[group] = ctx.NodeName;
                return ResourceResult.Success([$"{group} -> {ctx.NodeName}"]);
            },
            (ctx, _) =>
            {
                Operations.Enqueue(("deactivate", ctx));
                Owner.TryRemove(new KeyValuePair<string, string>(group, ctx.NodeName));
                return Task.FromResult(ResourceResult.Success([$"{group} released by {ctx.NodeName}"]));
            });
    }

    /// <summary>The node crashes: its loops stop where they are, nothing is released.</summary>
    public async Task CrashAsync(string node)
    {
        Transports[node].Down = true;
        await Managers[node].DisposeAsync();
    }

    /// <summary>The step the fake clock advances by.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    /// <summary>Advances the fake clock in small steps, letting the cluster settle after each.</summary>
    public async Task RunAsync(TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += Step)
        {
            Time.Advance(Step);
            await SettleAsync();
        }
    }

    /// <summary>Waits (in real time, bounded) until every heartbeat sent to a running node has been received and processed.</summary>
    public async Task SettleAsync()
    {
        for (var i = 0; i < 2; i++)
        {
            var settled = SpinWait.SpinUntil(
                () => Transports.All(t => Managers[t.Key].SteppedDown || t.Value.Down || (t.Value.Settled() && FailoverManagerTestHooks.HeartbeatParked(Managers[t.Key]))),
                TimeSpan.FromSeconds(10));
            if (!settled)
            {
                throw new TimeoutException("The cluster did not settle within 10 s: " + string.Join("; ", Transports.Select(t => $"{t.Value}, heartbeat loop {(FailoverManagerTestHooks.HeartbeatParked(Managers[t.Key]) ? "parked" : "running")} (mode {Managers[t.Key].GetView().Mode})")));
            }

            await Task.Yield();
        }
    }

    /// <summary>Who holds a group, by every running manager's own account.</summary>
    public IReadOnlyList<string> Holders(string group) =>
        Managers.Where(m => !Transports[m.Key].Down && m.Value.GetView().Groups.Any(g => g.Group == group && g.LocalState is GroupClaimState.Active or GroupClaimState.Activating)).Select(m => m.Key).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var manager in Managers.Values)
        {
            await manager.DisposeAsync();
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private sealed class Probe(string node, ConcurrentDictionary<string, bool> reachable) : INetworkPartitionResolver
    {
        public string Name => "http1";

        public Task<PartitionProbeResult> ProbeAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new PartitionProbeResult(Name, reachable[node] ? PartitionProbeStatus.Reachable : PartitionProbeStatus.Unreachable, reachable[node] ? "HEAD answered 200." : "no answer"));
    }

    /// <summary>Stops the peer's "instance" (refusing when this node's own is stopped, as AWS fencing does).</summary>
    internal sealed class Fence(ConcurrentDictionary<string, bool> running) : IFencingAgent
    {
        public int Calls;

        public Task<FenceResult> FenceAsync(string selfNode, string peerNode, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            if (!running[selfNode])
            {
                return Task.FromResult(new FenceResult(false, 52, $"This node's instance is stopped; not fencing {peerNode}."));
            }

            running[peerNode] = false;
            return Task.FromResult(new FenceResult(true, 0, $"{peerNode} is stopped."));
        }
    }

    internal sealed class RecordingFinalActions : IFinalActionHandler
    {
        public ConcurrentQueue<FinalActionRequest> Requests { get; } = new();

        public Task ExecuteAsync(FinalActionRequest request, CancellationToken cancellationToken = default)
        {
            Requests.Enqueue(request);
            return Task.CompletedTask;
        }
    }
}
