using System.Net;
using System.Net.Sockets;
using ClusterPro.Failover;
using ClusterPro.Monitoring;
using ClusterPro.Partition;

namespace ClusterPro.Core.Tests.Failover;

/// <summary>
/// The real failover manager — its heartbeat, receive, decision and monitor loops — over real UDP on loopback, on a fake
/// clock: the situations that used to put a group on two nodes or on none.
/// </summary>
public sealed class FailoverManagerLoopTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task SlowActivation_LongerThanTheHeartbeatTimeout_CostsNoFalseFailover()
    {
        await using var c = new LoopCluster();
        c.ActivationDelay["node1"] = TimeSpan.FromSeconds(2);
        c.Start("node1");
        var node2 = c.Start("node2");

        await c.RunAsync(TimeSpan.FromSeconds(5));

        node2.Events.Should().NotContain(e => e.Kind == FailoverEventKind.HeartbeatLost, "node1 kept sending heartbeats while its activation took 2 s (timeout 600 ms)");
        node2.Events.Should().NotContain(e => e.Kind == FailoverEventKind.FenceStarted);
        c.Running["node1"].Should().BeTrue("nobody fenced the healthy node1");
        c.Holders("failover1").Should().Equal("node1");
        c.Owner["failover1"].Should().Be("node1");
    }

    [Fact]
    public async Task ThreeNodes_TheBusyNewOwner_IsNotDeclaredLostByTheThird()
    {
        await using var c = new LoopCluster(nodes: 3);
        c.ActivationDelay["node2"] = TimeSpan.FromSeconds(2);
        c.Start("node1");
        var node2 = c.Start("node2");
        var node3 = c.Start("node3");
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");

        await c.CrashAsync("node1");
        c.Running["node1"] = false;
        await c.RunAsync(TimeSpan.FromSeconds(5));

        c.Holders("failover1").Should().Equal("node2");
        c.Owner["failover1"].Should().Be("node2");
        node3.Events.Should().NotContain(e => e.Kind == FailoverEventKind.HeartbeatLost && e.Subject == "node2", "node2's 2 s activation does not silence it");
        c.FinalActions.Requests.Should().BeEmpty("no healthy node shuts itself down");
        node3.SteppedDown.Should().BeFalse();
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.GroupActivated && e.Succeeded);
    }

    [Fact]
    public async Task MonitorFinalAction_TheNodeLeaves_AndThePeerTakesOverAtOnce_WithoutFencing()
    {
        await using var c = new LoopCluster();
        var broken = false;
        var monitor = new DelegateMonitorResource("appw", (_, _) => Task.FromResult(broken ? MonitorResult.Error(1, "The application does not answer.") : MonitorResult.Normal()));
        var options = new MonitorOptions
        {
            Interval = TimeSpan.FromMilliseconds(200),
            RetryCount = 0,
            Recovery = { TargetKind = RecoveryTargetKind.LocalServer, FinalAction = FinalAction.StopClusterService },
        };
        var node1 = c.Start("node1", null, (monitor, options));
        var node2 = c.Start("node2");
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");

        broken = true;
        await c.RunAsync(TimeSpan.FromMilliseconds(500));

        node1.SteppedDown.Should().BeTrue("the final action takes node1 out of the cluster");
        c.FinalActions.Requests.Should().ContainSingle(r => r.NodeName == "node1").Which.Action.Should().Be(FinalAction.StopClusterService);
        c.Holders("failover1").Should().Equal("node2");
        c.Owner["failover1"].Should().Be("node2");
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.PeerLeft && e.Subject == "node1");
        node2.Events.Should().NotContain(e => e.Kind == FailoverEventKind.FenceStarted || e.Kind == FailoverEventKind.HeartbeatLost, "node1 said it left: no timeout, no fence");
        c.Running["node1"].Should().BeTrue();
    }

    [Fact]
    public async Task WhileActiveMonitor_ChecksAsSoonAsItsResourceIsActive_OnEachNodeThatTakesTheGroup()
    {
        await using var c = new LoopCluster();
        var checks = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var monitor = new DelegateMonitorResource("resw", (ctx, _) =>
        {
            checks.AddOrUpdate(ctx.NodeName, 1, (_, n) => n + 1);
            return Task.FromResult(MonitorResult.Normal());
        });
        MonitorOptions Options() => new() { Interval = TimeSpan.FromMinutes(1), Timing = MonitorTiming.WhileActive, TargetResource = "failover1-res" };
        var node1 = c.Start("node1", null, (monitor, Options()));
        c.Start("node2", null, (monitor, Options()));
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");

        // The check runs on the monitor's own loop once the activation wakes it (no fake time passes in between): wait
        // for that loop, bounded in real time.
        SpinWait.SpinUntil(() => checks.ContainsKey("node1"), TimeSpan.FromSeconds(10));
        checks.Should().ContainKey("node1").WhoseValue.Should().Be(1, "the first check follows the activation, not a minute later");
        checks.Should().NotContainKey("node2");

        var stopping = node1.StopAsync();
        await c.RunAsync(TimeSpan.FromMilliseconds(300));
        await stopping;

        c.Holders("failover1").Should().Equal("node2");
        SpinWait.SpinUntil(() => checks.ContainsKey("node2"), TimeSpan.FromSeconds(10));
        checks.Should().ContainKey("node2").WhoseValue.Should().Be(1, "the node that takes the group over watches it at once");
    }

    [Fact]
    public async Task SecondFailoverOfTheSameGroupFromTheSamePeer_IsTakenAgain()
    {
        await using var c = new LoopCluster();
        var node1 = c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);
        var group = new RecoveryTarget(RecoveryTargetKind.Group, "failover1");

        (await node1.RequestFailoverAsync(group)).Should().BeTrue();
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node2");

        node2.MoveGroup("failover1", "node1").Should().BeTrue("a manual failback");
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");

        (await node1.RequestFailoverAsync(group)).Should().BeTrue();
        await c.RunAsync(Second);

        c.Holders("failover1").Should().Equal(["node2"], "the second hand-off from node1 is taken like the first");
        c.Owner["failover1"].Should().Be("node2");
        node2.GetView().Groups.Single().Epoch.Should().Be(4, "four owners in a row: node1, node2, node1, node2");
    }

    [Fact]
    public async Task ThrowingPlugins_BecomeFailedResults_AndTheLoopsGoOn()
    {
        await using var c = new LoopCluster();
        c.Options.Failover.FenceRetryInterval = TimeSpan.FromMilliseconds(200);
        c.Options.NetworkPartition.Attempts = 2;
        c.Options.NetworkPartition.RetryInterval = TimeSpan.FromMilliseconds(100);
        var fence = new ThrowingOnceFence(new LoopCluster.Fence(c.Running));
        c.FencingAgents["node2"] = fence;
        c.Resolvers["node2"] = new ThrowingResolver();
        c.Start("node1");
        var node2 = c.Start("node2", new ThrowingFinalActions());
        var seen = 0;
        node2.Event += (_, _) => throw new InvalidOperationException("a subscriber's bug");
        node2.Event += (_, _) => Interlocked.Increment(ref seen);
        node2.Groups["failover1"].ResourceCompleted += (_, _) => throw new InvalidOperationException("another subscriber's bug");
        await c.RunAsync(Second);

        await c.CrashAsync("node1");
        await c.RunAsync(TimeSpan.FromSeconds(3));

        c.Holders("failover1").Should().Equal(["node2"], "a throwing resolver is an unreachable probe, a throwing fence a failed fence that is tried again");
        c.Running["node1"].Should().BeFalse("the second fence stopped node1");
        fence.Calls.Should().BeGreaterThanOrEqualTo(2);
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.PluginFailed && e.Subject.Contains("fencing agent", StringComparison.Ordinal));
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.GroupActivated && e.Succeeded, "a throwing ResourceCompleted subscriber does not abort the activation");
        SpinWait.SpinUntil(() => Volatile.Read(ref seen) >= node2.Events.Count - 1, TimeSpan.FromSeconds(5));
        seen.Should().BeGreaterThan(5, "the other subscriber still gets every event");

        var endpoint = IPEndPoint.Parse(c.Options.Heartbeat.Endpoints["node2"]);
        await node2.DisposeAsync();
        await node2.DisposeAsync();
        using var rebound = new UdpClient(endpoint);
        rebound.Client.LocalEndPoint.Should().NotBeNull("disposing released the heartbeat port");
    }

    [Fact]
    public async Task FailedFence_IsRetried_UntilThePeerIsStopped()
    {
        await using var c = new LoopCluster();
        c.Options.Failover.FenceRetryInterval = TimeSpan.FromMilliseconds(200);
        var fence = new FailingFence(c.Running, failures: 3);
        c.FencingAgents["node2"] = fence;
        c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);

        await c.CrashAsync("node1");
        await c.RunAsync(TimeSpan.FromSeconds(4));

        fence.Calls.Should().Be(4, "three failed fences, then one that stopped node1");
        node2.Events.Count(e => e.Kind == FailoverEventKind.FenceCompleted && !e.Succeeded).Should().Be(3);
        c.Running["node1"].Should().BeFalse();
        c.Holders("failover1").Should().Equal("node2");
    }

    [Fact]
    public async Task ColdStart_APeerNotHeardYet_IsProbedAndFencedBeforeTheGroupStarts()
    {
        await using var c = new LoopCluster();
        var node2 = c.Start("node2");

        await c.RunAsync(TimeSpan.FromSeconds(2));

        var kinds = node2.Events.Select(e => e.Kind).ToList();
        kinds.Should().ContainInOrder(FailoverEventKind.PartitionVerdict, FailoverEventKind.FenceStarted, FailoverEventKind.FenceCompleted, FailoverEventKind.GroupActivated);
        c.Running["node1"].Should().BeFalse("node1 was never heard: it is fenced before node2 starts the group");
        c.Holders("failover1").Should().Equal("node2");
    }

    [Fact]
    public async Task PlannedStop_ReleasesTheGroup_AndThePeerTakesItWithoutWaitingOrFencing()
    {
        await using var c = new LoopCluster();
        var node1 = c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);

        var stopping = node1.StopAsync();
        await c.RunAsync(TimeSpan.FromMilliseconds(300));
        await stopping;

        c.Holders("failover1").Should().Equal("node2");
        node2.Events.Should().NotContain(e => e.Kind == FailoverEventKind.FenceStarted || e.Kind == FailoverEventKind.HeartbeatLost);
        c.Running["node1"].Should().BeTrue();
        c.FinalActions.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Start_TwoNodesWithoutFencing_WarnsOfSplitBrainOnce()
    {
        await using var c = new LoopCluster(fencing: false);
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        using var factory = new Microsoft.Extensions.Logging.LoggerFactory([new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(logs)]);
        c.LoggerFactory = factory;

        c.Start("node1");

        logs.GetSnapshot().Where(r => r.Id.Name == "SplitBrainRisk").Should().ContainSingle()
            .Which.Message.Should().Contain("Two nodes, no fencing and no witness").And.Contain("ClusterPro:Fencing").And.Contain("UseMajority");
    }

    [Fact]
    public async Task Witness_TwoNodesThatCannotHearEachOther_NeverBothHoldTheGroup_EvenWithoutFencing()
    {
        await using var c = new LoopCluster(fencing: false);
        c.Options.Witness.Type = "memory";
        c.Options.Witness.Table = "leases";
        c.Options.Witness.LeaseDuration = TimeSpan.FromSeconds(3);
        c.Options.Witness.AwsCallTimeout = TimeSpan.FromMilliseconds(500);
        var node1 = c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");
        c.Witness["failover1"]!.Owner.Should().Be("node1");

        c.Cut("node1", "node2");
        for (var i = 0; i < 40; i++)
        {
            await c.RunAsync(TimeSpan.FromMilliseconds(250));
            c.Holders("failover1").Should().HaveCountLessThanOrEqualTo(1, "the lease, not the heartbeats, decides who holds the group");
        }

        c.Holders("failover1").Should().Equal(["node1"], "node1 keeps renewing its lease, so node2 never takes it");
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.HeartbeatLost);
        node2.Events.Should().NotContain(e => e.Kind == FailoverEventKind.LeaseAcquired);
    }

    [Fact]
    public async Task Witness_TheOwnerDies_ThePeerTakesTheLeaseAfterItRunsOut()
    {
        await using var c = new LoopCluster(fencing: false);
        c.Options.Witness.Type = "memory";
        c.Options.Witness.Table = "leases";
        c.Options.Witness.LeaseDuration = TimeSpan.FromSeconds(3);
        c.Options.Witness.AwsCallTimeout = TimeSpan.FromMilliseconds(500);
        c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);

        await c.CrashAsync("node1");
        var crashedAt = c.Time.GetUtcNow();
        await c.RunAsync(TimeSpan.FromSeconds(6));

        c.Holders("failover1").Should().Equal("node2");
        c.Witness["failover1"]!.Owner.Should().Be("node2");
        c.Witness["failover1"]!.Epoch.Should().Be(2);
        var taken = node2.Events.Single(e => e.Kind == FailoverEventKind.GroupActivated && e.Succeeded).Timestamp;
        (taken - crashedAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2), "the lease is judged expired a full lease duration after its last renewal, at most a renewal interval (1 s) before the crash")
            .And.BeLessThan(TimeSpan.FromSeconds(5), "the lease duration, a read interval and one activation");
    }

    private sealed class ThrowingOnceFence(IFencingAgent inner) : IFencingAgent
    {
        public int Calls;

        public Task<FenceResult> FenceAsync(string selfNode, string peerNode, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref Calls) == 1
                ? throw new HttpRequestException("Connection refused")
                : inner.FenceAsync(selfNode, peerNode, cancellationToken);
    }

    private sealed class FailingFence(System.Collections.Concurrent.ConcurrentDictionary<string, bool> running, int failures) : IFencingAgent
    {
        public int Calls;

        public Task<FenceResult> FenceAsync(string selfNode, string peerNode, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref Calls) <= failures)
            {
                return Task.FromResult(new FenceResult(false, 50, "Failed in the AWS API call. (no answer: Connection refused)"));
            }

            running[peerNode] = false;
            return Task.FromResult(new FenceResult(true, 0, $"{peerNode} is stopped."));
        }
    }

    /// <summary>Throws on its first probe, then answers reachable.</summary>
    private sealed class ThrowingResolver : INetworkPartitionResolver
    {
        private int _calls;

        public string Name => "http1";

        public Task<PartitionProbeResult> ProbeAsync(CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new UriFormatException("Invalid URI: The hostname could not be parsed.")
                : Task.FromResult(new PartitionProbeResult(Name, PartitionProbeStatus.Reachable, "HEAD answered 200."));
    }

    private sealed class ThrowingFinalActions : IFinalActionHandler
    {
        public Task ExecuteAsync(FinalActionRequest request, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the host's handler failed");
    }
}
