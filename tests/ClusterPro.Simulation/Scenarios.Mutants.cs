using ClusterPro.Failover;

namespace ClusterPro.Simulation;

/// <summary>
/// Scenarios written for the hand-written mutants that the random histories did not kill (issue 19, <c>eng/mutants.py</c>):
/// each passes on the real core and breaks an invariant with its mutant applied.
/// </summary>
internal static partial class Scenarios
{
    private static IEnumerable<Scenario> Mutants() =>
    [
        new("stale-fence-restart-unseen", "mutant stale-fence-counts: node2 fences the crashed node1 and takes failover1; node1 is started again while its heartbeats do not reach node2; node2, on standby for a while, releases failover1 to nobody and node1 adopts it: node2, off standby, must fence node1's new run before it takes the group (its fence of the old run is too old to count)", StaleFenceRestartUnseen),
        new("orphan-grace-unstandby", "mutant no-orphan-grace: failover1 was stopped on node3 while node1 and node2 were on standby; node1 is taken off standby while its heartbeats to node2 are lost for 150 ms, and a cleanup on node3 then releases failover1 to nobody: for a moment node2 still takes node1 for on standby, and both would adopt the group at once; the grace lets node2 hear node1 first", record => Make(record, Base(3),
                (10_000, s => s.Standby(s.Node("node1"), on: true)),
                (12_000, s => s.Standby(s.Node("node2"), on: true)),
                (15_000, s => s.StopOnPurpose("failover1")),
                (15_000, s => s.Act(s.Node("node3"), (core, t) => core.RequestFinalAction(t, new FinalActionRequest(FinalAction.StopGroup, "appw1", "node3", "failover1", "Detected an error in monitoring appw1.")))),
                (18_000, s => s.Standby(s.Node("node2"), on: false)),
                (20_000, s => s.CutOneWay(s.Node("node1"), s.Node("node2"), 150)),
                (20_100, s => s.Standby(s.Node("node1"), on: false)),
                (20_110, s => s.Cleanup(s.Node("node3"), "failover1")))
            .Check(s => s.Events.Any(e => e.Node == "node3" && e.Event.Kind == FailoverEventKind.GroupActivated && e.At is > 12_000 and < 15_000) ? null : "failover1 should be on node3 before it is stopped (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At is > 20_100 and < 25_000) ? null : "node1, off standby and first in line, should adopt failover1 after the cleanup")),
    ];

    /// <summary>
    /// node1 (the owner) crashes; node2 fences it and takes failover1 over. An operator starts node1's instance again
    /// while node1's heartbeats do not reach node2 (node2's reach node1). At 45 s node2 is put on standby (forced: it
    /// hears no node that could take the group) and releases failover1 to nobody; node1, which hears node2, adopts it.
    /// At 50 s node2 is taken off standby: to node2, node1 is still the node it fenced at 23 s, and failover1 free. node2
    /// must fence node1 again before it takes the group (its fence is too old to count), not take it beside node1.
    /// </summary>
    private static Simulation StaleFenceRestartUnseen(bool record) => Make(record, Base(2) with { FaultPhaseMs = 70_000 },
            (20_000, s => s.KillProcess(s.Node("node1"), "crash")),
            (30_000, s => s.CutOneWay(s.Node("node1"), s.Node("node2"), 40_000)),
            (30_000, s => s.StartInstance(s.Node("node1"))),
            (45_000, s => s.Standby(s.Node("node2"), on: true, force: true)),
            (50_000, s => s.Standby(s.Node("node2"), on: false)))
        .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.FenceCompleted && e.Event.Subject == "node1" && e.Event.Succeeded && e.At is > 20_000 and < 30_000) ? null : "node2 should fence the crashed node1 first (the scenario missed its moment)")
        .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At is > 45_000 and < 50_000) ? null : "node1's new run should adopt failover1 once node2 releases it (the scenario missed its moment)")
        .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.FenceStarted && e.Event.Subject == "node1" && e.At is >= 50_000 and < 52_000) ? null : "node2 should fence node1's new run before it takes failover1 back");
}
