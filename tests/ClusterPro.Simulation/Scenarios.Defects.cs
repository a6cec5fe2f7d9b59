using ClusterPro.Failover;

namespace ClusterPro.Simulation;

/// <summary>
/// The defects found by running real processes against the emulator (issue 19), each replayed here first: a scenario
/// that failed before its fix and passes after it.
/// </summary>
internal static partial class Scenarios
{
    private static IEnumerable<Scenario> Defects() =>
    [
        new("isolated-master-3-nodes", "19.1: node1 (the master) is cut from both peers; its timeouts fire 190 ms apart and the NP answer takes 25 ms: only node1 is fenced, node2 or node3 takes over", record => Make(record, Base(3) with { StartAtMs = [0, 10, 200], ProbeAnswerMinMs = 25, ProbeAnswerMaxMs = 25 },
                (20_000, s => s.Split([s.Node("node1")], 30_000)))
            .Check(s => s.Events.FirstOrDefault(e => e.Event.Kind == FailoverEventKind.FenceStarted && e.Event.Subject != "node1") is { Node: not null } bad && bad.Node is not null
                ? $"{bad.Node} fenced {bad.Event.Subject}, a healthy node of the majority"
                : null)
            .Check(s => s.Events.Any(e => e.Node != "node1" && e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At is > 20_000 and < 50_000)
                ? null
                : "neither node2 nor node3 took failover1 over while node1 was cut off")),
        new("frozen-activation-outlives-lease", "19.3: witness, no fencing: node1 takes the lease and freezes mid-activation for twice the lease; node2 takes the lease and activates; node1 wakes and must stop, not carry on", FrozenActivation),
        new("straggler-after-restart", "simulator: both nodes restart; node2's new process hears node1's new run, then a heartbeat of node1's old run that the network held back: node2 must keep hearing the new run (it once retired it and fenced a healthy node1)", record => Make(record, Base(2),
                (21_000, s => s.Replay(s.Node("node1"), s.Node("node2"), 400)),
                (21_000, s => s.KillProcess(s.Node("node1"), "restart")),
                (21_000, s => s.KillProcess(s.Node("node2"), "restart")),
                (21_100, s => s.StartProcess(s.Node("node1"))),
                (21_200, s => s.StartProcess(s.Node("node2"))))
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.FenceStarted && e.At > 21_000) ? "a node fenced its healthy peer after the restarts" : null)
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.HeartbeatLost && e.At > 21_000) ? "node2 lost node1 for a while: it took the held-back packet for a restart" : null)
            .Check(s => s.Node("node2").Core!.GetView().Peer("node1")!.State == PeerState.Up ? null : "node2 should hear node1's new run")),
        new("straggler-of-a-short-run", "simulator: node1 runs half a second, restarts; node2, just started, hears the new run, then the short run's held-back heartbeat (fewer heartbeats than the new run, so it looks newer): node2 takes it for a restart, then, the real run still talking, reinstates it before the fence delay ends", record => Make(record, Base(2),
                (21_000, s => s.KillProcess(s.Node("node1"), "restart")),
                (21_000, s => s.KillProcess(s.Node("node2"), "restart")),
                (21_100, s => s.StartProcess(s.Node("node1"))),
                (21_600, s => s.Replay(s.Node("node1"), s.Node("node2"), 1500)),
                (21_600, s => s.KillProcess(s.Node("node1"), "restart")),
                (21_700, s => s.StartProcess(s.Node("node1"))),
                (21_800, s => s.StartProcess(s.Node("node2"))))
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.FenceStarted && e.At > 21_000) ? "a node fenced its healthy peer after the restarts" : null)
            .Check(s => s.Events.Count(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.PeerRestarted && e.At > 21_000) >= 2 ? null : "node2 should have taken the held-back heartbeat for a restart, then reinstated the real run (the scenario missed its moment)")
            .Check(s => s.Node("node2").Core!.GetView().Peer("node1")!.State == PeerState.Up ? null : "node2 should hear node1's new run")),
        new("final-action-stop-group", "coverage: a monitor's final action None changes nothing; StopGroup on the owner releases the group and stops it: no node starts it again by itself", record => Make(record, Base(3),
                (15_000, s => s.Act(s.Node("node1"), (core, t) => core.RequestFinalAction(t, new FinalActionRequest(FinalAction.None, "appw1", "node1", "failover1", "Detected an error in monitoring appw1.")))),
                (20_000, s => s.StopOnPurpose("failover1")),
                (20_000, s => s.Act(s.Node("node1"), (core, t) => core.RequestFinalAction(t, new FinalActionRequest(FinalAction.StopGroup, "appw1", "node1", "failover1", "Detected an error in monitoring appw1.")))))
            .Check(s => s.Nodes.Any(n => n.Core!.Holds("failover1")) ? "failover1 was started again after StopGroup" : null)
            .Check(s => s.Node("node2").Core!.GetView().Groups.Single().OwnerState == GroupClaimState.Stopped ? null : "node2 should see failover1 stopped")),
        new("many-restarts", "coverage: node2 restarts ten times; every restart is seen, the oldest runs are forgotten, and nobody is fenced", record => Make(record, Base(2) with { StartupWaitMs = 500 },
                [.. Enumerable.Range(0, 10).SelectMany(i => new (long, Action<Simulation>)[]
                {
                    (20_000 + (i * 1000), s => s.KillProcess(s.Node("node2"), "restart")),
                    (20_000 + (i * 1000) + 100, s => s.StartProcess(s.Node("node2"))),
                })])
            .Check(s => s.Events.Count(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.PeerRestarted) >= 10 ? null : "node1 should see every restart of node2")
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.FenceStarted) ? "a node was fenced although every restart was seen" : null)),
        new("split-without-majority", "mutual fencing: majority off, three nodes, node1 down; node2 and node3 (same heartbeat phase, so they decide at once) split, both reach the NP target and take over: node2, the higher priority, fences first; they never stop each other", record => Make(record, Base(3) with { Majority = false, StartAtMs = [0, 100, 100], ProbeAnswerMinMs = 25, ProbeAnswerMaxMs = 25 },
                (15_000, s => s.KillProcess(s.Node("node1"), "crash")),
                (15_000, s => s.StopInstance(s.Node("node1"), forced: true)),
                (30_000, s => s.Split([s.Node("node2")], 20_000)))),
        new("witness-owner-cut-from-aws", "witness, no fencing: the owner loses AWS, the table and its peers for 10 s, four times at different points of the renewal cycle: it lets go before its lease could run out, and another node takes the lease only after a full lease duration", record => Make(record, Witness(Base(3) with { Fencing = false }),
                (20_000, CutOwnerFromAws),
                (33_300, CutOwnerFromAws),
                (46_700, CutOwnerFromAws),
                (59_900, CutOwnerFromAws))),
        new("last-home-final-action", "the last home stays: node2's instance is stopped, then a monitor on node1 asks to stop the cluster service: withheld", record => Make(record, Base(2),
                (20_000, s => s.StopInstance(s.Node("node2"), forced: true)),
                (30_000, s => s.Act(s.Node("node1"), (core, t) => core.RequestFinalAction(t, new FinalActionRequest(FinalAction.StopClusterService, "appw1", "node1", "failover1", "Detected an error in monitoring appw1."))))
                )
            .Check(s => s.Node("node1").InCluster ? null : "node1, the last node that can run failover1, left the cluster")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupDeactivated && e.At is > 30_000 and < 60_000) ? "node1 released failover1 although no other node could run it" : null)),
        new("witness-lease-fences-only-possible-holders", "nemesis seed 118211: witness and fencing, three nodes; node1 (the owner) loses AWS and the table, and node2 is cut from its peers' heartbeats: the lease runs out, and whoever takes it must fence node1 (it may still hold failover1) but not node2 or node3, which were heard holding nothing", record => Make(record, Witness(Base(3)),
                (20_000, s => s.Node("node1").UplinkDown++),
                (20_000, s => s.Split([s.Node("node2")], 10_000)),
                (35_000, s => s.Node("node1").UplinkDown--))
            .Check(s => s.Events.Any(e => e.Event.Kind == FailoverEventKind.FenceStarted && e.Event.Subject == "node1" && e.At is > 20_000 and < 35_000) ? null : "node1 should be fenced once the lease runs out (the scenario missed its moment)")
            .Check(s => s.Events.Where(e => e.Event.Kind == FailoverEventKind.FenceStarted && e.Event.Subject != "node1" && e.At is > 20_000 and < 35_000).Select(e => $"{e.Node} fenced {e.Event.Subject}, which it had heard holding nothing of failover1").FirstOrDefault())),
        new("witness-fence-in-flight-keeps-lease", "nemesis seed 118303: witness and fencing; node1 (the owner, first in line) freezes past its lease; node2 takes the lease and starts fencing it, and node1 wakes while its instance is still stopping: node2 keeps the lease until its fence lands (the stop cannot be called back), so node1 does not take the group back only to be powered off under it", record => Make(record, Witness(Base(2)),
                (20_000, s => s.Freeze(s.Node("node1"), 7_160)))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.FenceStarted && e.Event.Subject == "node1" && e.At is > 20_000 and < 27_160) ? null : "node2 should start fencing node1 while it is frozen (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind is FailoverEventKind.LeaseAcquired or FailoverEventKind.GroupActivated && e.At > 27_160 && e.At < 60_000) ? "node1 took failover1 back while node2's fence of it was on its way" : null)
            .Check(s => TakenWithin(s, "node2", "failover1", after: 20_000, within: 15_000))),
        new("witness-restart-owes-fence", "witness and fencing: node2, cut off from node1 and the table, cannot let go of failover1 (its release fails) and its instance stops slowly; node1 takes the lease and fences node2, then restarts before the fence completes: its new run, taking back the lease of its earlier run, does not know what that run owed, and must fence node2 before activating", record => Make(record, Witness(Base(2)) with { Groups = [new SimGroup("failover1", ["node2", "node1"], 1, false)] },
                (20_000, s =>
                {
                    var node2 = s.Node("node2");
                    node2.UplinkDown++;
                    node2.ReleaseFailsUntil = 200_000;
                    node2.SlowStopUntil = 200_000;
                    s.Split([node2], 40_000);
                }),
                (30_000, s => s.KillProcess(s.Node("node1"), "crash")),
                (30_500, s => s.StartProcess(s.Node("node1"))))
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.FenceStarted && e.At is > 20_000 and < 30_000) ? null : "node1's first run should fence node2 (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.FenceStarted && e.At > 30_500) ? null : "node1's new run should fence node2 before activating")),
        new("witness-released-lease-owes-fence", "witness and fencing: node1, cut off, cannot let go of failover1 and stops slowly; node2 takes the lease and starts fencing node1, then goes on standby (forced) and releases the lease before its fence completes; node2 and node3 restart, knowing nothing of node1: node3, taking the released lease, must fence node1 (unheard, it may hold the group) before activating", record => Make(record, Witness(Base(3)),
                (20_000, s =>
                {
                    var node1 = s.Node("node1");
                    node1.UplinkDown++;
                    node1.ReleaseFailsUntil = 200_000;
                    node1.SlowStopUntil = 200_000;
                    s.Split([node1], 40_000);
                }),
                (30_000, s => s.Standby(s.Node("node2"), on: true, force: true)),
                (32_000, s => s.KillProcess(s.Node("node2"), "restart")),
                (32_000, s => s.KillProcess(s.Node("node3"), "restart")),
                (32_100, s => s.StartProcess(s.Node("node2"))),
                (32_100, s => s.StartProcess(s.Node("node3"))),
                (45_000, s => s.Standby(s.Node("node2"), on: false)))
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.FenceStarted && e.Event.Subject == "node1" && e.At is > 20_000 and < 30_000) ? null : "node2 should start fencing node1 (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node3" && e.Event.Kind == FailoverEventKind.FenceStarted && e.Event.Subject == "node1" && e.At > 32_100) ? null : "node3 should fence node1 before activating")),
        new("witness-lease-behind-claims", "witness: the lease's epochs fall behind the claims' (node2, restarted unheard, takes a fresh lease in epoch 1 after someone deleted the released record, while node1's hand-off of failover1 to node2 is in epoch 3): once node2 hears that claim, it must take a lease of a higher epoch, not activate in epoch 1 and yield to the older claim over and over", WitnessLeaseBehindClaims),
        new("peer-returns-during-fence", "19.2: node1 freezes; node2 fences it, and node1 resumes while StopInstances is in flight: the completed fence is used, node2 takes over at once", PeerReturnsDuringFence),
    ];

    /// <summary>
    /// Two moves raise failover1's epoch to 3 on node1. node2 loses AWS; node1 hands failover1 to it (epoch 3, for
    /// node2), which cannot take the lease; node1 goes on standby; node2 is cut off and restarts, knowing nothing. node1 releases the lease and
    /// someone deletes the released record, so node2, back on AWS, takes a lease of epoch 1 and starts failover1. The
    /// split heals: node2 hears node1's hand-off in epoch 3, lets go of its epoch-1 claim, and must then take failover1
    /// in an epoch above 3, not activate it again in epoch 1 (and let go again, over and over).
    /// </summary>
    private static Simulation WitnessLeaseBehindClaims(bool record)
    {
        var deleted = false;
        var sim = Make(record, Witness(Base(2) with { Fencing = false }),
            (10_000, s => s.Move(s.Node("node1"), "failover1", "node2")),
            (15_000, s => s.Move(s.Node("node2"), "failover1", "node1")),
            (20_000, s => s.Node("node2").UplinkDown++),
            (20_500, s => s.Move(s.Node("node1"), "failover1", "node2")),
            (21_000, s => s.Standby(s.Node("node1"), on: true)),
            (21_000, s => s.Split([s.Node("node2")], 19_000)),
            (21_000, s => s.KillProcess(s.Node("node2"), "restart")),
            (21_100, s => s.StartProcess(s.Node("node2"))),
            (26_000, s => s.Node("node2").UplinkDown--),
            (60_000, s =>
            {
                var activations = s.Events.Count(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.GroupActivated && e.At is > 40_000 and < 60_000);
                if (s.HolderOf("failover1") != "node2" || activations > 2)
                {
                    s.Fail($"node2 should hold failover1 steadily after the split healed; it activated it {activations} times from 40 s to 60 s and it is on {s.HolderOf("failover1") ?? "no node"}");
                }
            }));
        for (var at = 21_000; at < 26_000; at += 100)
        {
            sim.Script.Add((at, s =>
            {
                if (!deleted && s.Aws.Leases.TryGetValue("failover1", out var lease) && lease.Owner is null)
                {
                    deleted = true;
                    s.Aws.Leases.Remove("failover1");
                }
            }));
        }

        return sim
            .Check(s => deleted ? null : "node1 never released the lease (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.LeaseAcquired && e.Event.Detail.Contains("epoch 1.", StringComparison.Ordinal) && e.At is > 22_000 and < 40_000) ? null : "node2 should take a fresh lease in epoch 1 (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupHandedOff && e.At is > 20_000 and < 21_000) ? null : "node1 should hand failover1 to node2 (the scenario missed its moment)");
    }

    /// <summary>Cuts the group's owner (whoever has it active) from AWS, the witness table and its peers for 10 s.</summary>
    private static void CutOwnerFromAws(Simulation s)
    {
        if (s.HolderOf("failover1") is { } owner)
        {
            var node = s.Node(owner);
            node.UplinkDown++;
            s.Split([node], 10_000);
            s.World.After(10_000, () => node.UplinkDown--);
        }
    }

    /// <summary>
    /// node1 takes the lease at start-up and starts activating; a millisecond after its next decision tick, an
    /// activation step in flight, its process freezes for 12 s (twice the lease). node2 takes the lease once it has
    /// stood unchanged for a lease duration, and activates. node1 wakes with its step's answer waiting before its next
    /// tick (as a real process's activation task may well run before its decision loop): it must not start another
    /// step, and must release.
    /// </summary>
    private static Simulation FrozenActivation(bool record)
    {
        var config = Witness(Base(2) with { Fencing = false, StartAtMs = [0, 200] });
        var sim = Make(record, config);
        var frozen = false;
        sim.OnEvent = (s, node, e) =>
        {
            if (node.Name == "node1" && e.Kind == FailoverEventKind.LeaseAcquired && !frozen)
            {
                // node1 started at 0, so it ticks at every multiple of half an interval.
                frozen = true;
                var tick = config.IntervalMs / 2;
                var next = ((s.World.Now / tick) + 1) * tick;
                s.World.At(next + 1, () => s.Freeze(node, 12_000));
            }
        };
        return sim
            .Check(s => frozen ? null : "node1 never took the lease (the scenario missed its moment)")
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At < 13_000) ? null : "node2 should take the group over while node1 is frozen")
            .Check(s => s.Events.Any(e => e.Node == "node1" && e.Event.Kind == FailoverEventKind.GroupActivated && e.Event.Succeeded && e.At < 30_000) ? "node1 completed its activation after waking without the lease" : null);
    }

    /// <summary>
    /// node1 (the owner) freezes at 20 s; node2's AWS calls take 600 ms while it fences, and node1 resumes 1 s after the
    /// fence started, before StopInstances lands. The fence succeeds: node2 must take over as soon as it completes,
    /// without a second heartbeat timeout, verdict and fence.
    /// </summary>
    private static Simulation PeerReturnsDuringFence(bool record)
    {
        var sim = Make(record, Base(2) with { ProbeAnswerMinMs = 800, ProbeAnswerMaxMs = 800 }, (20_000, s => s.Freeze(s.Node("node1"), 20_000)));
        long fenced = -1;
        sim.OnEvent = (s, node, e) =>
        {
            if (node.Name == "node2" && e.Kind == FailoverEventKind.FenceStarted && e.Subject == "node1" && fenced < 0)
            {
                node.AwsLatencyMs = 600;
                s.World.After(1000, () =>
                {
                    var frozen = s.Node("node1");
                    frozen.PausedUntil = s.World.Now;
                    s.Resume(frozen);
                });
            }
            else if (node.Name == "node2" && e.Kind == FailoverEventKind.FenceCompleted && e.Succeeded && fenced < 0)
            {
                node.AwsLatencyMs = 0;
                fenced = s.World.Now;
            }
        };
        return sim
            .Check(s => s.Events.Any(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.HeartbeatRestored && e.At > 20_000) ? null : "node1 should have been heard again while the fence was in flight (the scenario missed its moment)")
            .Check(s => s.Events.Count(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.FenceStarted && e.At < 40_000) == 1 ? null : "node2 fenced node1 again although its first fence had stopped it")
            .Check(s => fenced < 0 ? "node2's fence never completed" : TakenWithin(s, "node2", "failover1", after: fenced, within: 600))
            .Check(s => s.Events.Count(e => e.Node == "node2" && e.Event.Kind == FailoverEventKind.PartitionVerdict && e.At is > 20_000 and < 40_000) == 1 ? null : "node2 took a second verdict instead of using its completed fence");
    }
}
