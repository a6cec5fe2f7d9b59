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
        new("peer-returns-during-fence", "19.2: node1 freezes; node2 fences it, and node1 resumes while StopInstances is in flight: the completed fence is used, node2 takes over at once", PeerReturnsDuringFence),
    ];

    /// <summary>
    /// node1 (the owner) freezes at 20 s; node2's AWS calls take 600 ms while it fences, and node1 resumes 1 s after the
    /// fence started, before StopInstances lands. The fence succeeds: node2 must take over as soon as it completes,
    /// without a second heartbeat timeout, verdict and fence.
    /// </summary>
    private static Simulation PeerReturnsDuringFence(bool record)
    {
        var sim = Make(record, Base(2), (20_000, s => s.Freeze(s.Node("node1"), 20_000)));
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
            .Check(s => fenced < 0 ? "node2's fence never completed" : TakenWithin(s, "node2", "failover1", after: fenced, within: 1000));
    }
}
