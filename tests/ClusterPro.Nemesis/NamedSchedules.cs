namespace ClusterPro.Nemesis;

/// <summary>
/// The scripted schedules. Times are seconds after the faults begin (the group is up on node1, the master, and every
/// node has heard every other). <see cref="Short"/> is what CI runs: both of issue 19's defects and the basic faults.
/// </summary>
internal static class NamedSchedules
{
    private static readonly ClusterShape Two = new(2, Fencing: true, Witness: false);
    private static readonly ClusterShape Three = new(3, Fencing: true, Witness: false);

    /// <summary>Every scripted schedule.</summary>
    public static IReadOnlyList<Schedule> All { get; } =
    [
        new(
            "isolate-master-3",
            "issue 19 defect 1: in a 3-node cluster node1 (the master, holding the group) loses its heartbeats to and from both peers while every node still reaches AWS and its NP target; node2 and node3 must keep or take the group, and node1 must be the only node fenced",
            Three,
            [new(0.5, new NemesisAction(ActionKind.Isolate, "node1"))],
            HealAt: 12,
            new Expectation(["node2", "node3"], ["node1"])),
        new(
            "fence-race",
            "issue 19 defect 2: node1 (the owner) is frozen; AWS answers node2's StopInstances 1.5 s late and node1 is woken 0.5 s after the call, so node1 runs (and node2 hears it again) until its instance is stopped, a moment before node2's fence completes; the completed fence must be used: node2 takes over at once, without a second heartbeat timeout",
            Two,
            [
                new(0, new NemesisAction(ActionKind.AwsSlowAnswer, "node2", Value: 1.5, Operation: "StopInstances")),
                new(0.5, new NemesisAction(ActionKind.Pause, "node1")),
                new(0.5, new NemesisAction(ActionKind.Resume, "node1"), AfterStopRequestBy: "node2"),
            ],
            HealAt: 12,
            new Expectation(["node2"], ["node1"])),
        new(
            "kill-owner-2",
            "kill -9 the owner of a 2-node cluster with fencing; node2 fences it and takes over; node1 is started again after its instance",
            Two,
            [new(0.5, new NemesisAction(ActionKind.Kill, "node1"))],
            HealAt: 9,
            new Expectation(["node2"], ["node1"])),
        new(
            "pause-owner-2",
            "SIGSTOP the owner of a 2-node cluster with fencing for 7 s, far beyond the heartbeat timeout; node2 fences it (its power is cut while frozen) and takes over; SIGCONT comes too late to matter",
            Two,
            [new(0.5, new NemesisAction(ActionKind.Pause, "node1")), new(7.5, new NemesisAction(ActionKind.Resume, "node1"))],
            HealAt: 9,
            new Expectation(["node2"], ["node1"])),
        new(
            "witness-pause-2",
            "a 2-node cluster with the DynamoDB witness and no fencing: the owner is frozen for twice the lease; node2 takes the lease once it has run out and activates; the owner wakes up and must release, never pointing AWS back at itself",
            new ClusterShape(2, Fencing: false, Witness: true),
            [new(0.5, new NemesisAction(ActionKind.Pause, "node1")), new(6.5, new NemesisAction(ActionKind.Resume, "node1"))],
            HealAt: 10,
            new Expectation(["node2"], [])),
        new(
            "aws-outage-owner-2",
            "the owner's AWS endpoint becomes a black hole for 6 s in a 2-node cluster with fencing; heartbeats are fine, so nothing may move: no failover, no fence",
            Two,
            [new(0.5, new NemesisAction(ActionKind.AwsOutage, "node1")), new(6.5, new NemesisAction(ActionKind.AwsHeal, "node1"))],
            HealAt: 7,
            new Expectation(["node1"], [])),
        new(
            "isolate-standby-3",
            "in a 3-node cluster node3 (a standby) loses its heartbeats to and from both peers; node1 keeps the group, and node3 is the only node fenced",
            Three,
            [new(0.5, new NemesisAction(ActionKind.Isolate, "node3"))],
            HealAt: 10,
            new Expectation(["node1"], ["node3"])),
        new(
            "kill-owner-3",
            "kill -9 the owner of a 3-node cluster; node2 (the next in priority) takes over after fencing it; node1 is started again after its instance",
            Three,
            [new(0.5, new NemesisAction(ActionKind.Kill, "node1"))],
            HealAt: 10,
            new Expectation(["node2", "node3"], ["node1"])),
        new(
            "one-way-3",
            "in a 3-node cluster node1's heartbeats no longer reach node2 (one way only; node3 hears everyone); node1 keeps or loses the group to the majority, but no healthy node of the majority is fenced",
            Three,
            [new(0.5, new NemesisAction(ActionKind.CutLink, "node1", "node2"))],
            HealAt: 10),
    ];

    /// <summary>
    /// The short run's schedules, in order. isolate-master-3 runs twice: whether node1's two heartbeat timeouts fire in
    /// one step or a few milliseconds apart (the race issue 19's defect 1 loses) depends on the phase of the peers'
    /// heartbeats, about even odds on this machine.
    /// </summary>
    public static IReadOnlyList<Schedule> Short { get; } =
        [.. new[] { "isolate-master-3", "fence-race", "isolate-master-3", "kill-owner-2", "pause-owner-2", "witness-pause-2", "aws-outage-owner-2" }.Select(Find).Select(s => s!)];

    /// <summary>A schedule by name.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>The schedule, or null.</returns>
    public static Schedule? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
