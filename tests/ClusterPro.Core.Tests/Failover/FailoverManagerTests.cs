using System.Collections.Concurrent;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Partition;
using ClusterPro.Resources;
using ClusterPro.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Core.Tests.Failover;

/// <summary>Two- and three-node clusters in one process: in-memory heartbeat links that tests can cut, a fake clock.</summary>
public sealed class FailoverManagerTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryHeartbeatNetwork _network = new();
    private readonly ConcurrentDictionary<string, string> _owner = new();
    private readonly ConcurrentDictionary<string, bool> _running = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, bool> _npReachable = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FailoverManager> _managers = new(StringComparer.OrdinalIgnoreCase);
    private readonly RecordingFinalActions _final = new();
    private readonly ClusterProOptions _cluster = new();

    public FailoverManagerTests()
    {
        _cluster.AddNode("node1").AddNode("node2");
        _cluster.Heartbeat.Interval = TimeSpan.FromSeconds(1);
        _cluster.Heartbeat.Timeout = TimeSpan.FromSeconds(4);
        _cluster.Heartbeat.Key = "a-shared-secret-of-32-characters";
        _cluster.Failover.FenceDelay = TimeSpan.FromSeconds(2);
        var group = new GroupOptions();
        group.Resources.Add(new GroupResourceOptions { Name = "vip" });
        _cluster.Groups["failover1"] = group;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var m in _managers.Values)
        {
            await m.DisposeAsync();
        }
    }

    private FailoverManager Start(string node, bool fencing = true, IMonitorResource? monitor = null, MonitorOptions? monitorOptions = null)
    {
        _running[node] = true;
        _npReachable.TryAdd(node, true);
        var resource = new DelegateGroupResource(
            "vip",
            (ctx, _) =>
            {
                var previous = _owner.TryGetValue("vip", out var p) ? p : null;
                _owner["vip"] = ctx.NodeName;
                return Task.FromResult(previous == ctx.NodeName ? ResourceResult.Unchanged() : ResourceResult.Success([$"vip -> {ctx.NodeName}"]));
            },
            (ctx, _) =>
            {
                _owner.TryRemove(new KeyValuePair<string, string>("vip", ctx.NodeName));
                return Task.FromResult(ResourceResult.Success(["vip released"]));
            });
        var groups = new Dictionary<string, FailoverGroup>(StringComparer.OrdinalIgnoreCase)
        {
            ["failover1"] = new("failover1", [new GroupMember(resource, _cluster.Groups["failover1"].Resources[0])], _final, _time),
        };
        var manager = new FailoverManager(
            node, _cluster, groups, _cluster.Heartbeat, _network.Join(node), [new Probe(node, _npReachable)], fencing ? new Fence(_running) : null, _final, _cluster.Failover, _time);
        if (monitor is not null)
        {
            manager.AddMonitors([new MonitorRunner(monitor, monitorOptions ?? new MonitorOptions(), node, manager, _time)]);
        }

        _managers[node] = manager;
        return manager;
    }

    /// <summary>One heartbeat interval: every live node sends, packets are delivered, every node evaluates.</summary>
    private async Task StepAsync(int intervals = 1)
    {
        for (var i = 0; i < intervals; i++)
        {
            _time.Advance(_cluster.Heartbeat.Interval);
            var live = _managers.Values.Where(m => _running[m.NodeName] && !m.SteppedDown).ToList();
            foreach (var m in live)
            {
                await m.SendHeartbeatAsync();
            }

            foreach (var m in live)
            {
                foreach (var packet in _network.Drain(m.NodeName))
                {
                    m.Receive(packet);
                }
            }

            var evaluations = live.Select(m => m.EvaluateAsync()).ToList();
            for (var spin = 0; spin < 100_000 && evaluations.Any(e => !e.IsCompleted); spin++)
            {
                _time.Advance(TimeSpan.FromMilliseconds(100));
                await Task.Yield();
            }

            await Task.WhenAll(evaluations);
        }
    }

    private void Crash(string node) => _running[node] = false;

    [Fact]
    public async Task Startup_TheMasterActivates_TheOtherNodeStandsBy()
    {
        Start("node1");
        Start("node2");

        await StepAsync(6);

        _owner["vip"].Should().Be("node1");
        _managers["node2"].Groups["failover1"].IsActive.Should().BeFalse();
    }

    [Fact]
    public async Task Startup_MasterAbsent_TheNextNodeActivates()
    {
        Start("node2");

        await StepAsync(6);

        _owner["vip"].Should().Be("node2");
    }

    [Fact]
    public async Task ActiveNodeDies_ThePeerResolvesFencesAndTakesOver_WithATimeline()
    {
        Start("node1");
        var node2 = Start("node2");
        await StepAsync(6);
        Crash("node1");
        var failedAt = _time.GetUtcNow();

        await StepAsync(6);

        _owner["vip"].Should().Be("node2");
        var kinds = node2.Events.Where(e => e.Timestamp > failedAt).Select(e => e.Kind).ToList();
        kinds.Should().ContainInOrder(
            FailoverEventKind.HeartbeatLost, FailoverEventKind.PartitionVerdict, FailoverEventKind.FenceStarted,
            FailoverEventKind.FenceCompleted, FailoverEventKind.ResourceActivated, FailoverEventKind.GroupActivated);
        node2.Events.Single(e => e.Kind == FailoverEventKind.HeartbeatLost).Timestamp.Should().BeAfter(failedAt + _cluster.Heartbeat.Timeout - TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Partition_NpReachableOnBothSides_FencingLeavesOneOwner()
    {
        Start("node1");
        Start("node2");
        await StepAsync(6);
        _network.Cut("node1", "node2");

        await StepAsync(8);

        _owner["vip"].Should().Be("node1", "the master fenced node2 first; node2's own-instance check then stopped it from fencing back");
        _running["node2"].Should().BeFalse();
        _managers["node2"].Groups["failover1"].IsActive.Should().BeFalse();
        _managers["node2"].Events.Should().Contain(e => e.Kind == FailoverEventKind.FenceCompleted && !e.Succeeded && e.Detail.StartsWith("52 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IsolatedNode_StepsDown_DeactivatesAndHandsTheFinalActionToTheHost()
    {
        var node1 = Start("node1");
        Start("node2");
        await StepAsync(6);
        _network.Cut("node1", "node2");
        _npReachable["node1"] = false;

        await StepAsync(8);

        node1.SteppedDown.Should().BeTrue();
        node1.Groups["failover1"].IsActive.Should().BeFalse();
        _final.Requests.Should().Contain(r => r.Action == FinalAction.StopClusterServiceAndShutdownOs && r.NodeName == "node1");
        _owner["vip"].Should().Be("node2");
    }

    [Fact]
    public async Task MonitorError_WithoutReactivations_FailsTheGroupOverToThePeer()
    {
        var broken = new ScriptedMonitor("vipw");
        broken.Default = _ => Task.FromResult(MonitorResult.Error(56, "The routing for VIP 10.1.0.20 was changed."));
        var node1 = Start("node1", monitor: broken, monitorOptions: new MonitorOptions { RetryCount = 0, Recovery = { Target = "vip", ReactivationThreshold = 0, FailoverThreshold = 1 } });
        Start("node2");
        await StepAsync(6);

        var cycle = await node1.Monitors[0].RunCycleAsync();
        await StepAsync(2);

        cycle.Recovery.Should().Be(RecoveryStep.Failover);
        _owner["vip"].Should().Be("node2");
        node1.Groups["failover1"].IsActive.Should().BeFalse();
    }

    [Fact]
    public async Task FormerMasterReturns_NoFailbackByDefault()
    {
        Start("node1");
        Start("node2");
        await StepAsync(6);
        Crash("node1");
        await StepAsync(6);
        await _managers["node1"].DisposeAsync();
        _managers.Remove("node1");
        _network.Leave("node1");

        var returned = Start("node1");
        await StepAsync(8);

        _owner["vip"].Should().Be("node2");
        returned.Groups["failover1"].IsActive.Should().BeFalse();
    }

    [Fact]
    public async Task ForgedAndReplayedHeartbeats_AreDroppedAndCounted()
    {
        var node2 = Start("node2");
        var forged = HeartbeatCodec.Encode(new HeartbeatMessage("node1", 1, 1, [], []), System.Text.Encoding.UTF8.GetBytes("the-wrong-key-of-32-characters!!"));
        var genuine = HeartbeatCodec.Encode(new HeartbeatMessage("node1", 1, 1, [], []), System.Text.Encoding.UTF8.GetBytes(_cluster.Heartbeat.Key!));

        node2.Receive(forged).Should().Be(HeartbeatRejection.Unauthenticated);
        node2.Receive(genuine).Should().Be(HeartbeatRejection.None);
        node2.Receive(genuine).Should().Be(HeartbeatRejection.Replayed);

        node2.Membership.Unauthenticated.Should().Be(1);
        node2.Membership.Replayed.Should().Be(1);
    }

    private sealed class Probe(string node, Dictionary<string, bool> reachable) : INetworkPartitionResolver
    {
        public string Name => "http1";

        public Task<PartitionProbeResult> ProbeAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new PartitionProbeResult(Name, reachable[node] ? PartitionProbeStatus.Reachable : PartitionProbeStatus.Unreachable, reachable[node] ? "HEAD answered 200." : "no answer"));
    }

    private sealed class Fence(ConcurrentDictionary<string, bool> running) : IFencingAgent
    {
        public Task<FenceResult> FenceAsync(string selfNode, string peerNode, CancellationToken cancellationToken = default)
        {
            if (!running[selfNode])
            {
                return Task.FromResult(new FenceResult(false, 52, $"This node's instance is stopped; not fencing {peerNode}."));
            }

            running[peerNode] = false;
            return Task.FromResult(new FenceResult(true, 0, $"{peerNode} is stopped."));
        }
    }
}
