using ClusterPro.Control;
using ClusterPro.Failover;
using ClusterPro.Monitoring;

namespace ClusterPro.Core.Tests.Failover;

/// <summary>
/// The operator's levers on real failover managers (real loops, real UDP heartbeats on loopback, a fake clock): move,
/// standby, maintenance and cleanup as a running cluster takes them, and what survives a restart.
/// </summary>
public sealed class OperatorCommandTests : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private readonly string _state = Directory.CreateTempSubdirectory("clusterpro-state-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Move_HandsTheGroupToThePeer_WithoutFencingOrATimeout()
    {
        await using var c = new LoopCluster();
        var node1 = c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");

        var answer = await node1.HandleControlAsync(Request(c, ControlCommand.Move) with { Group = "failover1", Target = "node2" });
        await c.RunAsync(TimeSpan.FromMilliseconds(300));

        answer.Accepted.Should().BeTrue(answer.Message);
        c.Holders("failover1").Should().Equal("node2");
        c.Owner["failover1"].Should().Be("node2");
        node2.Events.Should().NotContain(e => e.Kind == FailoverEventKind.HeartbeatLost || e.Kind == FailoverEventKind.FenceStarted);
        c.Running["node1"].Should().BeTrue();
    }

    [Fact]
    public async Task Move_IsInEveryNodesTimeline_TheThirdNodeToo()
    {
        await using var c = new LoopCluster(nodes: 3);
        var node1 = c.Start("node1");
        var node2 = c.Start("node2");
        var node3 = c.Start("node3");
        await c.RunAsync(Second);

        (await node1.HandleControlAsync(Request(c, ControlCommand.Move) with { Group = "failover1", Target = "node2" })).Accepted.Should().BeTrue();
        await c.RunAsync(TimeSpan.FromMilliseconds(300));

        c.Holders("failover1").Should().Equal("node2");
        node1.Events.Should().Contain(e => e.Kind == FailoverEventKind.GroupHandedOff && e.Subject == "failover1");
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.GroupHandedOff && e.Detail == "node1 handed failover1 to node2.");
        node3.Events.Should().ContainSingle(e => e.Kind == FailoverEventKind.PeerHandedOff).Which.Detail.Should().Be("node1 handed failover1 to node2.");
        node2.Events.Should().NotContain(e => e.Kind == FailoverEventKind.PeerHandedOff, "the node the group goes to says so in its own words");
    }

    [Fact]
    public async Task Move_ByANodeThatDoesNotHoldTheGroup_IsRefused_NamingWhy()
    {
        await using var c = new LoopCluster();
        c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);

        var answer = await node2.HandleControlAsync(Request(c, ControlCommand.Move) with { Group = "failover1" });

        answer.Accepted.Should().BeFalse();
        answer.Message.Should().Contain("node2 does not hold failover1");
        c.Holders("failover1").Should().Equal("node1");
    }

    [Fact]
    public async Task TheSameRequestTwice_ActsOnce()
    {
        await using var c = new LoopCluster();
        var node1 = c.Start("node1");
        c.Start("node2");
        await c.RunAsync(Second);
        var move = Request(c, ControlCommand.Move) with { Group = "failover1", Target = "node2" };

        var first = await node1.HandleControlAsync(move);
        await c.RunAsync(TimeSpan.FromMilliseconds(300));
        var again = await node1.HandleControlAsync(move);

        again.Should().Be(first, "a retransmitted request gets the first answer");
        node1.Events.Count(e => e.Kind == FailoverEventKind.GroupHandedOff).Should().Be(1);
    }

    [Fact]
    public async Task Standby_MovesTheGroupsAway_AndTheNodeTakesNone_EvenWhenThePeerDies_UntilUnstandby()
    {
        await using var c = new LoopCluster();
        var node1 = c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);

        var answer = await node1.HandleControlAsync(Request(c, ControlCommand.Standby) with { On = true });
        await c.RunAsync(TimeSpan.FromMilliseconds(300));

        answer.Accepted.Should().BeTrue(answer.Message);
        c.Holders("failover1").Should().Equal("node2");
        node1.GetView().OperatorStandby.Should().BeTrue();
        node2.GetView().Peer("node1")!.OperatorStandby.Should().BeTrue("standby travels in node1's heartbeats");
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.OperatorCommand && e.Subject == "node1");

        // node2 leaves: node1, on standby, does not take the group.
        await node2.StopAsync();
        await c.RunAsync(Second);
        c.Holders("failover1").Should().BeEmpty();

        (await node1.HandleControlAsync(Request(c, ControlCommand.Standby) with { On = false })).Accepted.Should().BeTrue();
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");
    }

    [Fact]
    public async Task Standby_OfTheOnlyNodeThatCanRunAGroup_IsRefused_UnlessForced()
    {
        await using var c = new LoopCluster();
        var node1 = c.Start("node1");
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");

        var refused = await node1.HandleControlAsync(Request(c, ControlCommand.Standby) with { On = true });
        refused.Accepted.Should().BeFalse();
        refused.Message.Should().Contain("No other node can take failover1");
        c.Holders("failover1").Should().Equal("node1");

        var forced = await node1.HandleControlAsync(Request(c, ControlCommand.Standby) with { On = true, Force = true });
        await c.RunAsync(TimeSpan.FromMilliseconds(300));
        forced.Accepted.Should().BeTrue();
        c.Holders("failover1").Should().BeEmpty("forced, the group stops");
    }

    [Fact]
    public async Task Maintenance_ALostOwnerIsNeitherFencedNorTakenOver_UntilItIsOff()
    {
        await using var c = new LoopCluster();
        var node1 = c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);

        (await node2.HandleControlAsync(Request(c, ControlCommand.Maintenance) with { On = true })).Accepted.Should().BeTrue();
        await c.RunAsync(TimeSpan.FromMilliseconds(300));
        node1.GetView().Maintenance.Should().BeTrue("maintenance reaches every node in the heartbeats");

        await c.CrashAsync("node1");
        c.Running["node1"] = false;
        await c.RunAsync(TimeSpan.FromSeconds(3));
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.HeartbeatLost, "liveness is still tracked");
        node2.Events.Should().NotContain(e => e.Kind == FailoverEventKind.FenceStarted || e.Kind == FailoverEventKind.PartitionVerdict);
        c.Holders("failover1").Should().BeEmpty();

        (await node2.HandleControlAsync(Request(c, ControlCommand.Maintenance) with { On = false })).Accepted.Should().BeTrue();
        await c.RunAsync(TimeSpan.FromSeconds(2));
        c.Holders("failover1").Should().Equal("node2");
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.FenceCompleted, "the takeover after maintenance follows the usual path");
    }

    [Fact]
    public async Task Maintenance_AnOwnerStoppedInOrder_StillHandsItsGroupToThePeer()
    {
        await using var c = new LoopCluster();
        var node1 = c.Start("node1");
        var node2 = c.Start("node2");
        await c.RunAsync(Second);
        (await node1.HandleControlAsync(Request(c, ControlCommand.Maintenance) with { On = true })).Accepted.Should().BeTrue();
        await c.RunAsync(TimeSpan.FromMilliseconds(300));

        // An operator stops node1 for patching: the service must not stop with it.
        await node1.StopAsync();
        await c.RunAsync(TimeSpan.FromMilliseconds(500));

        c.Holders("failover1").Should().Equal("node2");
        c.Owner["failover1"].Should().Be("node2");
        node2.GetView().Maintenance.Should().BeTrue("maintenance stays on");
        node2.Events.Should().NotContain(e => e.Kind == FailoverEventKind.FenceStarted);
    }

    [Fact]
    public async Task Maintenance_PausesTheMonitors_SoADriftIsNotRepaired_UntilItIsOff()
    {
        await using var c = new LoopCluster();
        var drifted = false;
        var checks = 0;
        var monitor = new DelegateMonitorResource("vipw", (_, _) =>
        {
            Interlocked.Increment(ref checks);
            return Task.FromResult(drifted ? MonitorResult.Error(5, "The route points elsewhere.") : MonitorResult.Normal());
        });
        var options = new MonitorOptions { Interval = TimeSpan.FromMilliseconds(200), RetryCount = 0, Recovery = { TargetKind = RecoveryTargetKind.Group, Target = "failover1", ReactivationThreshold = 1 } };
        var node1 = c.Start("node1", null, (monitor, options));
        await c.RunAsync(Second);
        (await node1.HandleControlAsync(Request(c, ControlCommand.Maintenance) with { On = true })).Accepted.Should().BeTrue();
        await c.RunAsync(TimeSpan.FromMilliseconds(300));
        var before = Volatile.Read(ref checks);

        drifted = true;
        await c.RunAsync(Second);
        Volatile.Read(ref checks).Should().Be(before, "no check runs in maintenance");
        node1.GetReport().Monitors.Should().ContainSingle().Which.Suspended.Should().BeTrue();

        (await node1.HandleControlAsync(Request(c, ControlCommand.Maintenance) with { On = false })).Accepted.Should().BeTrue();
        await c.RunAsync(Second);
        Volatile.Read(ref checks).Should().BeGreaterThan(before);
        node1.Monitors[0].Escalation.Reactivations.Should().Be(1, "after maintenance the monitor finds the drift and repairs it");
    }

    [Fact]
    public async Task Cleanup_ResetsTheMonitorsLadder_AndItsLastError()
    {
        await using var c = new LoopCluster();
        var monitor = new DelegateMonitorResource("appw", (_, _) => Task.FromResult(MonitorResult.Error(7, "Down.")));
        var options = new MonitorOptions { Interval = TimeSpan.FromMilliseconds(200), RetryCount = 0, Recovery = { TargetKind = RecoveryTargetKind.Group, Target = "failover1", ReactivationThreshold = 5, FailoverThreshold = 0 } };
        var node1 = c.Start("node1", null, (monitor, options));
        await c.RunAsync(Second);
        node1.Monitors[0].Escalation.Reactivations.Should().BeGreaterThan(0);
        node1.Monitors[0].LastError.Should().NotBeNull();

        var answer = await node1.HandleControlAsync(Request(c, ControlCommand.Cleanup) with { Group = "failover1" });

        answer.Accepted.Should().BeTrue();
        answer.Message.Should().Contain("appw");
        node1.Monitors[0].Escalation.Reactivations.Should().Be(0);
        node1.Monitors[0].LastError.Should().BeNull();
        node1.Events.Should().Contain(e => e.Kind == FailoverEventKind.OperatorCommand && e.Detail.StartsWith("Cleanup of failover1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Standby_SurvivesARestart_WhenTheStateIsKept()
    {
        await using var c = new LoopCluster();
        c.Options.Failover.StateDirectory = _state;
        var node1 = c.Start("node1");
        c.Start("node2");
        await c.RunAsync(Second);
        (await node1.HandleControlAsync(Request(c, ControlCommand.Standby) with { On = true })).Accepted.Should().BeTrue();
        await c.RunAsync(TimeSpan.FromMilliseconds(300));
        File.Exists(Path.Combine(_state, "node1.state.json")).Should().BeTrue();

        await node1.StopAsync();
        await node1.DisposeAsync();
        await c.RunAsync(Second);
        var again = c.Start("node1");
        await c.RunAsync(Second);

        again.GetView().OperatorStandby.Should().BeTrue("a node on standby for patching stays on standby after its reboot");
        again.Events.Should().Contain(e => e.Kind == FailoverEventKind.OperatorCommand && e.Detail.StartsWith("Restored", StringComparison.Ordinal));
        c.Holders("failover1").Should().Equal("node2");
    }

    [Fact]
    public async Task Maintenance_IsLearntByANodeThatStartsLater()
    {
        await using var c = new LoopCluster();
        var node1 = c.Start("node1");
        await c.RunAsync(Second);
        (await node1.HandleControlAsync(Request(c, ControlCommand.Maintenance) with { On = true })).Accepted.Should().BeTrue();

        var node2 = c.Start("node2");
        await c.RunAsync(Second);

        node2.GetView().Maintenance.Should().BeTrue();
        node2.Events.Should().Contain(e => e.Kind == FailoverEventKind.OperatorCommand && e.Detail.Contains("from node1", StringComparison.Ordinal));
    }

    private static ControlRequest Request(LoopCluster c, ControlCommand command) =>
        new(command, Guid.NewGuid().ToString("N"), c.Time.GetUtcNow().ToUnixTimeMilliseconds()) { From = "test" };
}
