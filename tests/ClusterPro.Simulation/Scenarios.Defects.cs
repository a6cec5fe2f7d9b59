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
    ];
}
