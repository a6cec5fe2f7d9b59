using ClusterPro.Failover;

namespace ClusterPro.Simulation;

/// <summary>
/// Scripted histories, one or more per finding that the failover core was built to fix. Each runs with every invariant
/// checked after every event, and adds checks of its own about the finding.
/// </summary>
internal static partial class Scenarios
{
    private static partial IReadOnlyList<Scenario> Create() => [.. Findings(), .. Defects(), .. Operators(), .. Mutants()];

    private static IEnumerable<Scenario> Findings() =>
    [
        new("slow-activation", "1: AWS calls of 2 s during activation, heartbeat timeout 1.5 s: no false failover", record => Make(record, Base(2), (0, s => s.Node("node1").AwsLatencyMs = 2000))
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.HeartbeatLost) ? "a node declared a healthy, busy peer lost" : null)
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.FenceStarted) ? "a healthy, busy node was fenced" : null)
            .Check(s => s.HolderOf("failover1") == "node1" ? null : $"failover1 is on {s.HolderOf("failover1") ?? "no node"}, not node1")),
        new("slow-takeover-3-nodes", "1: node1 dies; node2 takes over with 2 s AWS calls; node3 must not declare node2 lost", record => Make(record, Base(3),
                (0, s => s.Node("node2").AwsLatencyMs = 2000),
                (20_000, s => s.KillProcess(s.Node("node1"), "crash")),
                (20_000, s => s.StopInstance(s.Node("node1"), forced: true)))
            .Check(s => s.Events.Any(e => e.Node == "node3" && e.Event.Kind == FailoverEventKind.HeartbeatLost && e.Event.Subject == "node2") ? "node3 declared the busy node2 lost" : null)
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.FinalAction) ? "a healthy node took a final action" : null)),
        new("final-action-leaves", "2: a monitor's final action takes the holder out; the peer takes over at once, unfenced", record => Make(record, Base(2),
                (15_000, s => s.Act(s.Node("node1"), (core, t) => core.RequestFinalAction(t, new FinalActionRequest(FinalAction.StopClusterService, "appw1", "node1", "failover1", "Detected an error in monitoring appw1.")))))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind is FailoverEventKind.FenceStarted or FailoverEventKind.HeartbeatLost && e.At < 40_000) ? "node2 waited for the timeout or fenced a node that left in order" : null)
            .Check(s => TakenWithin(s, "node2", "failover1", after: 15_000, within: 2 * Base(2).IntervalMs + 1000))),
        new("second-handoff", "3: failover, manual failback, failover again: every hand-off is taken", record => Make(record, Base(2),
                (10_000, s => s.Act(s.Node("node1"), (core, t) => core.RequestMove(t, "failover1", "appw1"))),
                (20_000, s => s.Act(s.Node("node2"), (core, t) => core.RequestMove(t, "failover1", "operator", "node1", failure: false))),
                (30_000, s => s.Act(s.Node("node1"), (core, t) => core.RequestMove(t, "failover1", "appw1"))))
            .Check(s => s.HolderOf("failover1") == "node2" ? null : $"failover1 is on {s.HolderOf("failover1") ?? "no node"} after the second hand-off, not node2")
            .Check(s => s.Node("node2").Core!.GetView().Groups.Single().Epoch == 4 ? null : "four owners in a row should make epoch 4")),
        new("failing-probe-and-fence", "4: the first probe fails and two fences fail: failed results, retried; the takeover still happens", record => Make(record, Base(2),
                (20_000, s => s.KillProcess(s.Node("node1"), "crash")),
                (20_000, s => s.Aws.ErrorRate = 1),
                (21_400, s => s.Node("node2").UplinkDown++),
                (22_500, s => s.Node("node2").UplinkDown--),
                (27_000, s => s.Aws.ErrorRate = 0))
            .Check(s => TakenWithin(s, "node2", "failover1", after: 20_000, within: 20_000))),
        new("cold-start-unheard", "5: heartbeats lost for the first 6 s of a cold start: the group starts on one node only", record => Make(record, Base(2),
                (0, s => s.Split([s.Node("node1")], 6000)))
            .Check(s => s.Events.Where(e => e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At < 10_000).Select(e => e.Node).Distinct().Count() <= 1 ? null : "two nodes started the group")),
        new("failed-fence-retried", "6: node1 dies while AWS is unreachable for 10 s: the fence is retried and node2 takes over", record => Make(record, Base(2),
                (19_000, s => s.Aws.Outage++),
                (20_000, s => s.KillProcess(s.Node("node1"), "crash")),
                (29_000, s => s.Aws.Outage--))
            .Check(s => TakenWithin(s, "node2", "failover1", after: 29_000, within: 15_000))),
        new("last-node-probe-blip", "6: the last node's first probe fails (a blip): it does not shut down", record => Make(record, Base(2),
                (20_000, s => s.StopInstance(s.Node("node2"), forced: true)),
                (20_800, s => s.Node("node1").UplinkDown++),
                (22_400, s => s.Node("node1").UplinkDown--))
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind is FailoverEventKind.SteppedDown or FailoverEventKind.FinalAction) ? "node1, the last node, stepped down after one failed probe" : null)
            .Check(s => s.HolderOf("failover1") == "node1" ? null : "node1 should keep failover1")),
        new("split-without-fencing", "7: two nodes, no fencing, both reach the NP target: split for 20 s, then one owner", record => Make(record, Base(2) with { Fencing = false },
                (20_000, s => s.Split([s.Node("node1")], 20_000)))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At is > 20_000 and < 40_000) ? null : "without fencing, node2 takes over in the split (the warned configuration)")),
        new("clock-step-restart", "8: node1 restarts with its clock 10 s behind: its heartbeats are accepted, nobody fences it", record => Make(record, Base(2),
                (30_000, s => s.KillProcess(s.Node("node1"), "restart")),
                (30_000, s => s.Node("node1").ClockOffsetMs = -10_000),
                (30_500, s => s.StartProcess(s.Node("node1"))))
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.FenceStarted && e.Event.Subject == "node1") ? "node1's restart with a clock 10 s behind was dropped as a replay and fenced" : null)
            .Check(s => s.Node("node2").Core!.GetView().Peer("node1")!.State == PeerState.Up ? null : "node2 should hear the restarted node1")),
        new("clock-beyond-skew", "8: node1's clock jumps 60 s ahead: heartbeats beyond the skew bound are dropped; fencing keeps one owner", record => Make(record, Base(2),
                (30_000, s => s.Node("node1").ClockOffsetMs = 60_000))),
        new("late-writes", "9: a paused holder's writes land after the takeover: monitors put AWS back on the owner", record => Make(record, Base(2) with { Fencing = false, MonitorIntervalMs = 1000 },
                (0, s => s.Node("node1").AwsLatencyMs = 1500),
                (20_000, s => s.Aws.Eip["failover1"] = "node2"),
                (21_200, s => s.Freeze(s.Node("node1"), 4000)))),
        new("stop-during-activation", "9: a planned stop while the group activates: cancelled, released, taken by the peer", record => Make(record, Base(2),
                (0, s => s.Node("node1").AwsLatencyMs = 2000),
                (2_500, s => s.Act(s.Node("node1"), (core, t) => core.Leave(t, "planned stop"))))
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.FenceStarted) ? "a node that left in order was fenced" : null)),
        new("outage-mixed-with-drift", "10: drift, then 15 s of AWS outage, then the drift is still there: the ladder goes on and repairs it", record => Make(record, Base(2),
                (20_000, s => s.Aws.Eip["failover1"] = "node2"),
                (21_000, s => s.Aws.Outage++),
                (36_000, s => s.Aws.Outage--))),
        new("witness-split-no-fencing", "witness: two nodes, no fencing, both reach the NP target, split for 30 s: one owner throughout", record => Make(record, Witness(Base(2) with { Fencing = false }),
                (20_000, s => s.Split([s.Node("node1")], 30_000)))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.GroupActivated && e.At is > 20_000 and < 50_000) ? "node2 took the group while node1 still held its lease" : null)),
        new("witness-owner-dies", "witness: the owner dies; a survivor takes over within the lease duration plus one activation", record => Make(record, Witness(Base(3) with { Fencing = false }),
                (20_000, s => s.KillProcess(s.Node("node1"), "crash")),
                (20_000, s => s.StopInstance(s.Node("node1"), forced: true)))
            .Check(s => TakenWithin(s, "node2", "failover1", after: 20_000, within: Witness(Base(3)).LeaseDurationMs + Witness(Base(3)).LeaseDurationMs / 3 + 3000))),
        new("witness-outage", "witness: the table is unreachable for 20 s: the owner releases in time, nobody takes the group, it comes back after", record => Make(record, Witness(Base(2) with { Fencing = false }),
                (20_000, s => s.Aws.WitnessOutage++),
                (40_000, s => s.Aws.WitnessOutage--))
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.LeaseAcquired && e.At is > 20_000 and < 40_000) ? "a lease was taken while the table was unreachable" : null)
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.LeaseLost && e.At is > 20_000 and < 40_000) ? null : "node1 should give the group up when it cannot renew")),
        new("witness-lease-rewritten-unheard", "witness, no fencing: someone rewrites the held lease by hand (a new epoch, still naming node1) while the two nodes cannot hear each other (both reach the table): node1's next renewal is refused, so it lets go and takes the lease afresh; node2, which times the rewritten record, must find it renewed and never take it", record => Make(record, Witness(Base(2) with { Fencing = false }),
                (20_000, s => s.Split([s.Node("node1")], 30_000)),
                (20_100, s => s.TamperLease("failover1")))
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.LeaseLost && e.At is > 20_100 and < 24_000) ? null : "node1 should lose the lease at its first renewal after the rewrite")
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind is FailoverEventKind.LeaseAcquired or FailoverEventKind.GroupActivated && e.At is > 20_000 and < 50_000) ? "node2 took the lease or the group while node1 renewed it" : null)),
        new("witness-paused-owner", "witness: the owner freezes past its lease; it wakes after the lease was taken and lets go before writing to AWS", record => Make(record, Witness(Base(2) with { Fencing = false }),
                (20_000, s => s.Freeze(s.Node("node1"), 25_000)))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.LeaseAcquired && e.At is > 20_000 and < 45_000) ? null : "node2 should take the lease while node1 is frozen")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupActivated && e.At is > 45_000 and < 55_000) ? "node1 activated again after waking" : null)),
    ];

    internal static SimConfig Witness(SimConfig config) => config with { Witness = true, LeaseDurationMs = 6000, LeaseCallTimeoutMs = 1000 };

    /// <summary>Two to five nodes, one group over all of them, 250 ms / 1.5 s heartbeats, fencing, no random faults.</summary>
    internal static SimConfig Base(int nodes) => new()
    {
        Nodes = [.. Enumerable.Range(1, nodes).Select(i => $"node{i}")],
        Groups = [new SimGroup("failover1", [.. Enumerable.Range(1, nodes).Select(i => $"node{i}")], 3, false)],
        IntervalMs = 250,
        TimeoutMs = 1500,
        StartupWaitMs = 1500,
        FenceDelayMs = 1000,
        AwsCallTimeoutMs = 3000,
        ResourceTimeoutMs = 10_000,
        ProbeTimeoutMs = 1000,
        ProbeAttempts = 3,
        ProbeRetryMs = 500,
        MonitorIntervalMs = 2000,
        RandomFaults = false,
        FaultPhaseMs = 60_000,
    };

    internal static Simulation Make(bool record, SimConfig config, params (long At, Action<Simulation> Action)[] script)
    {
        var sim = new Simulation(1, config, record);
        sim.Script.AddRange(script);
        return sim;
    }

    internal static Simulation Check(this Simulation sim, Func<Simulation, string?> check)
    {
        sim.FinalChecks.Add(check);
        return sim;
    }

    /// <summary>Whether <paramref name="node"/> activated <paramref name="group"/> within <paramref name="within"/> ms after <paramref name="after"/>.</summary>
    internal static string? TakenWithin(Simulation s, string node, string group, long after, long within) =>
        s.Events.Any(e => e.Node == node && e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Subject == group && e.Event.Succeeded && e.At >= after && e.At <= after + within)
            ? null
            : $"{node} did not activate {group} within {within} ms after {after / 1000.0} s";
}
