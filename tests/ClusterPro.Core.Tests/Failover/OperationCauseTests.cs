using ClusterPro.Failover;
using ClusterPro.Monitoring;
using ClusterPro.Resources;

namespace ClusterPro.Core.Tests.Failover;

/// <summary>
/// What the decision core tells each resource about why it runs (<see cref="ResourceContext.Cause"/>) and the node
/// concerned (<see cref="ResourceContext.Peer"/>): start-up, an operator's move, a monitor's failover, a planned stop and a
/// crash, through the real managers' loops.
/// </summary>
public sealed class OperationCauseTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task StartUp_ThenMove_ThenMonitorFailover_ThenPlannedStop_ThenCrash_EachOperationIsToldWhyAndByWhom()
    {
        await using var c = new LoopCluster(nodes: 3);
        c.Options.Failover.UseMajority = false;   // the last of three takes over once the other two are gone
        var node1 = c.Start("node1");
        var node2 = c.Start("node2");
        var node3 = c.Start("node3");
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");
        Taken(c).Should().Equal(("activate", "node1", OperationCause.Start, null));

        node1.MoveGroup("failover1", "node2").Should().BeTrue();
        await c.RunAsync(Second);
        Taken(c).Should().Equal(("deactivate", "node1", OperationCause.Move, "node2"), ("activate", "node2", OperationCause.Move, "node1"));

        (await node2.RequestFailoverAsync(new RecoveryTarget(RecoveryTargetKind.Group, "failover1"))).Should().BeTrue();
        await c.RunAsync(Second);
        c.Holders("failover1").Should().Equal("node1");
        Taken(c).Should().Equal(("deactivate", "node2", OperationCause.Failover, "node1"), ("activate", "node1", OperationCause.Failover, "node2"));

        var stopping = node1.StopAsync();
        await c.RunAsync(TimeSpan.FromMilliseconds(500));
        await stopping;
        await c.CrashAsync("node1");               // the stopped process is gone: its loops end, its transport with them
        c.Holders("failover1").Should().Equal("node2");
        Taken(c).Should().Equal(("deactivate", "node1", OperationCause.Stop, "node2"), ("activate", "node2", OperationCause.Move, "node1"));

        await c.CrashAsync("node2");
        c.Running["node2"] = false;
        await c.RunAsync(TimeSpan.FromSeconds(3));
        c.Holders("failover1").Should().Equal("node3");
        Taken(c).Should().Equal(("activate", "node3", OperationCause.Failover, "node2"));
        node3.Events.Should().Contain(e => e.Kind == FailoverEventKind.GroupActivated && e.Succeeded);
    }

    [Fact]
    public async Task OneShotGroupOperations_SayStartAndStop_AndAReactivationStopsThenStarts()
    {
        var seen = new List<(string, OperationCause, string?)>();
        var resource = new DelegateGroupResource(
            "app1",
            (ctx, _) => { seen.Add(("activate", ctx.Cause, ctx.Peer)); return Task.FromResult(ResourceResult.Success(["up"])); },
            (ctx, _) => { seen.Add(("deactivate", ctx.Cause, ctx.Peer)); return Task.FromResult(ResourceResult.Success(["down"])); });
        var group = new ClusterPro.Groups.FailoverGroup("failover1", [new ClusterPro.Groups.GroupMember(resource, new ClusterPro.Groups.GroupResourceOptions { Name = "app1" })]);

        await group.ActivateAsync("node1");
        await group.ReactivateResourceAsync("app1", "node1");
        await group.DeactivateAsync("node1");

        seen.Should().Equal(
            ("activate", OperationCause.Start, null),
            ("deactivate", OperationCause.Stop, null),
            ("activate", OperationCause.Start, null),
            ("deactivate", OperationCause.Stop, null));
    }

    /// <summary>The operations recorded since the last call.</summary>
    private static List<(string, string, OperationCause, string?)> Taken(LoopCluster c)
    {
        var taken = new List<(string, string, OperationCause, string?)>();
        while (c.Operations.TryDequeue(out var op))
        {
            taken.Add((op.Operation, op.Context.NodeName, op.Context.Cause, op.Context.Peer));
        }

        return taken;
    }
}
