using ClusterPro.Failover;

namespace ClusterPro.Simulation;

/// <summary>
/// The operators' levers (issue 20): standby, maintenance, moves and cleanups as inputs of the core, scripted against
/// the same invariants as every history, with checks of their own.
/// </summary>
internal static partial class Scenarios
{
    private static IEnumerable<Scenario> Operators() =>
    [
        new("maintenance-owner-dies", "levers: maintenance on, then the owner's process dies: nothing is fenced or taken over while it is on; maintenance off → node2 fences node1 and takes over", record => Make(record, Base(3),
                (15_000, s => s.Maintenance(s.Node("node2"), on: true)),
                (20_000, s => s.KillProcess(s.Node("node1"), "crash")),
                (40_000, s => s.Maintenance(s.Node("node3"), on: false)))
            .Check(s => s.Events.Any(e => e.Event.Kind is FailoverEventKind.GroupActivated or FailoverEventKind.FenceStarted or FailoverEventKind.PartitionVerdict && e.At is > 15_000 and < 40_000) ? "a node activated, fenced or took a verdict in maintenance" : null)
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.FenceCompleted && e.Event.Subject == "node1" && e.Event.Succeeded && e.At > 40_000) ? null : "node2 should fence node1 once maintenance is off")
            .Check(s => TakenWithin(s, "node2", "failover1", after: 40_000, within: 10_000))),
        new("maintenance-stop-in-order", "levers: maintenance on, then the owner is stopped in order (patching): it hands failover1 to node2, which takes it, maintenance or not; node3 activates nothing", record => Make(record, Base(3),
                (15_000, s => s.Maintenance(s.Node("node3"), on: true)),
                (20_000, s => s.Act(s.Node("node1"), (core, t) => core.Leave(t, "planned stop"))),
                (40_000, s => s.Maintenance(s.Node("node3"), on: false)))
            .Check(s => TakenWithin(s, "node2", "failover1", after: 20_000, within: 3_000))
            .Check(s => s.Events.Any(e => e.Node != "node2" && e.Event.Kind is FailoverEventKind.GroupActivated or FailoverEventKind.FenceStarted && e.At is > 15_000 and < 40_000) ? "only node2, the node handed the group, may activate in maintenance" : null)),
        new("maintenance-probe-in-flight", "levers: node1 dies while node2 is cut from its NP target; maintenance begins while node2's probe is out: its failure decides nothing (no step-down); maintenance off → node2 takes over", record => Make(record, Base(2) with { ProbeAttempts = 1 },
                (20_000, s => s.Node("node2").UplinkDown++),
                (20_000, s => s.KillProcess(s.Node("node1"), "crash")),
                (22_000, s => s.Maintenance(s.Node("node2"), on: true)),
                (30_000, s => s.Node("node2").UplinkDown--),
                (35_000, s => s.Maintenance(s.Node("node2"), on: false)))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.PartitionVerdict && e.At is > 21_000 and < 35_000) ? "node2 took a verdict in maintenance" : null)
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.SteppedDown) ? "node2 stepped down on probes sent before maintenance" : null)
            .Check(s => TakenWithin(s, "node2", "failover1", after: 35_000, within: 10_000))),
        new("standby-during-partition", "levers: node2 on standby; node1 (the owner) is cut off: node3, not node2, fences it and takes over; unstandby later moves nothing back", record => Make(record, Base(3),
                (15_000, s => s.Standby(s.Node("node2"), on: true)),
                (20_000, s => s.Split([s.Node("node1")], 20_000)),
                (45_000, s => s.Standby(s.Node("node2"), on: false)))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.GroupActivated) ? "node2, on standby, activated a group" : null)
            .Check(s => TakenWithin(s, "node3", "failover1", after: 20_000, within: 15_000))
            .Check(s => s.HolderOf("failover1") == "node3" ? null : $"failover1 should stay on node3, not {s.HolderOf("failover1") ?? "no node"}")),
        new("standby-kept-across-restart", "levers: node1 on standby hands failover1 to node2 and restarts still on standby (its state file); node2 dies: node1 takes nothing until unstandby, then fences node2 and takes over", record => Make(record, Base(2),
                (15_000, s => s.Standby(s.Node("node1"), on: true)),
                (20_000, s => s.KillProcess(s.Node("node1"), "restart")),
                (20_500, s => s.StartProcess(s.Node("node1"))),
                (25_000, s => s.KillProcess(s.Node("node2"), "crash")),
                (25_000, s => s.StopInstance(s.Node("node2"), forced: true)),
                (40_000, s => s.Standby(s.Node("node1"), on: false)))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At is > 15_000 and < 20_000) ? null : "node2 should take failover1 from node1 going on standby")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupActivated && e.At is > 15_000 and < 40_000) ? "node1, on standby (kept across its restart), activated failover1" : null)
            .Check(s => TakenWithin(s, "node1", "failover1", after: 40_000, within: 10_000))),
        new("standby-last-node", "levers: node2 is down; standby of node1, the last node that can run failover1, is refused; forced, failover1 stops; unstandby starts it again", record => Make(record, Base(2),
                (15_000, s => s.KillProcess(s.Node("node2"), "crash")),
                (15_000, s => s.StopInstance(s.Node("node2"), forced: true)),
                (25_000, s => Expect(s, s.Standby(s.Node("node1"), on: true), accepted: false)),
                (26_000, s => Expect(s, s.Standby(s.Node("node1"), on: true, force: true), accepted: true)),
                (35_000, s => Expect(s, s.Standby(s.Node("node1"), on: false), accepted: true)))
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupDeactivated && e.Event.Succeeded && e.At is > 26_000 and < 30_000) ? null : "the forced standby should release failover1")
            .Check(s => TakenWithin(s, "node1", "failover1", after: 35_000, within: 5000))),
        new("maintenance-split-heals", "levers: two nodes without fencing split and both take failover1; maintenance goes on at both sides, then the split heals: node1, whose claim is older, still lets go (safety is not suspended)", record => Make(record, Base(2) with { Fencing = false, FaultPhaseMs = 90_000 },
                (20_000, s => s.Split([s.Node("node1")], 15_000)),
                (30_000, s => s.Maintenance(s.Node("node1"), on: true)),
                (30_000, s => s.Maintenance(s.Node("node2"), on: true)),
                (80_000, s => s.Maintenance(s.Node("node1"), on: false)))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At is > 20_000 and < 30_000) ? null : "node2 should take failover1 in the split (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupDeactivated && e.Event.Succeeded && e.At is > 35_000 and < 40_000) ? null : "node1 should let go of failover1 once it hears node2's newer claim, maintenance or not")),
        new("maintenance-stuck-release", "levers: as maintenance-split-heals, but node1's release fails until 38 s (its final action None): it is retried in maintenance and completes", record => Make(record, Base(2) with { Fencing = false, FaultPhaseMs = 90_000, ReleaseFinalAction = FinalAction.None },
                (20_000, s => s.Split([s.Node("node1")], 10_000)),
                (25_000, s => s.Node("node1").ReleaseFailsUntil = 38_000),
                (28_000, s => s.Maintenance(s.Node("node1"), on: true)),
                (28_000, s => s.Maintenance(s.Node("node2"), on: true)),
                (80_000, s => s.Maintenance(s.Node("node2"), on: false)))
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupDeactivated && !e.Event.Succeeded && e.At is > 30_000 and < 38_000) ? null : "node1's release should fail first (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupDeactivated && e.Event.Succeeded && e.At is > 38_000 and < 55_000) ? null : "node1 should release failover1 again in maintenance once it can")),
        new("unstandby-stale-view", "levers: node1 starts on standby (kept from before the cluster's restart), so node2 starts failover1; node2's heartbeats to node1 are lost for a second from that moment, and node1 is taken off standby meanwhile: it must hear node2 again before it takes anything (it would start failover1 a second time)", UnstandbyStaleView),
        new("cleanup-stopper-restarted", "levers: a monitor's final action StopGroup stops failover1 on node1, and node1 restarts; the operator's cleanup (at every node) must start failover1 again, although no node's own claim is the stopped one any more", record => Make(record, Base(2),
                (15_000, s => s.StopOnPurpose("failover1")),
                (15_000, s => s.Act(s.Node("node1"), (core, t) => core.RequestFinalAction(t, new FinalActionRequest(FinalAction.StopGroup, "appw1", "node1", "failover1", "Detected an error in monitoring appw1.")))),
                (20_000, s => s.KillProcess(s.Node("node1"), "restart")),
                (20_100, s => s.StartProcess(s.Node("node1"))),
                (25_000, s => s.Cleanup(s.Node("node1"), "failover1")),
                (25_000, s => s.Cleanup(s.Node("node2"), "failover1")))
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At is > 15_000 and < 25_000) ? "failover1 ran again before the cleanup" : null)
            .Check(s => TakenWithin(s, "node1", "failover1", after: 25_000, within: 5000))),
        new("unstandby-orphan-grace", "levers: node3's heartbeats reach node2 only through node1; node2 restarts without failover1 and is put on standby during its orphan grace; node3 adopts the group, and node2, taken off standby as node3 starts, must wait a grace of its own (by then node1 has relayed node3's claim) instead of adopting at once", UnstandbyOrphanGrace),
    ];

    /// <summary>
    /// failover1 runs on node2, then node3. node3's heartbeats stop reaching node2 (node2 still hears of node3 through
    /// node1, a heartbeat later). node2 restarts: failover1 is an orphan, and node2 the node to adopt it after the grace;
    /// node2 goes on standby before the grace ends, so node3 adopts it. The moment node3 starts activating, node2 is taken
    /// off standby: the grace it had before its standby must not count.
    /// </summary>
    private static Simulation UnstandbyOrphanGrace(bool record)
    {
        var config = Base(3) with { IntervalMs = 1000, TimeoutMs = 3000, StartupWaitMs = 3000, FenceDelayMs = 3000, Groups = [new SimGroup("failover1", ["node2", "node3"], 1, false)] };
        var sim = Make(record, config,
            (15_000, s => s.CutOneWay(s.Node("node3"), s.Node("node2"), 45_000)),
            (20_000, s => s.KillProcess(s.Node("node2"), "restart")),
            (20_100, s => s.StartProcess(s.Node("node2"))),
            (24_000, s => s.Standby(s.Node("node2"), on: true)));
        var unstood = false;
        sim.OnOperation = (s, node, op) =>
        {
            if (node.Name == "node3" && op.Kind == "Activate" && !unstood)
            {
                unstood = true;
                s.World.After(1, () => s.Standby(s.Node("node2"), on: false));
            }
        };
        return sim
            .Check(s => unstood ? null : "node3 never adopted failover1 (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.GroupActivated && e.At is > 20_000 and < 60_000) ? "node2 activated failover1 although node3 had adopted it" : null);
    }

    /// <summary>
    /// node1 starts with its kept standby, so node2 starts failover1. As node2 starts activating, its heartbeats to node1
    /// are lost for a second (less than the heartbeat timeout: node1 still counts node2 as alive) and node1 is taken off
    /// standby 100 ms later: node1 has not heard of node2's claim, and must not start the group itself.
    /// </summary>
    private static Simulation UnstandbyStaleView(bool record)
    {
        var sim = Make(record, Base(2) with { StartAtMs = [100, 100] },
            (0, s => s.Node("node1").StateFile = (true, false, 0)));
        var cut = false;
        sim.OnOperation = (s, node, op) =>
        {
            if (node.Name == "node2" && op.Kind == "Activate" && !cut)
            {
                cut = true;
                s.CutOneWay(node, s.Node("node1"), 1000);
                s.World.After(100, () => s.Standby(s.Node("node1"), on: false));
            }
        };
        return sim
            .Check(s => cut ? null : "node2 never started failover1 (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupActivated) ? "node1 activated failover1 although node2 had started it" : null);
    }

    /// <summary>Records a violation when an operator's command was not answered as the scenario expects.</summary>
    private static void Expect(Simulation s, OperatorOutcome? outcome, bool accepted)
    {
        if (outcome?.Accepted != accepted)
        {
            s.Fail($"the command should have been {(accepted ? "accepted" : "refused")}; the answer: {outcome?.Message ?? "none"}");
        }
    }
}
