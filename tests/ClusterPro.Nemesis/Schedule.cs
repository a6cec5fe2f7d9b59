namespace ClusterPro.Nemesis;

/// <summary>
/// A schedule: the cluster, the faults in time, when everything is healed, and, for a scripted one, its correct
/// outcome. A random schedule is a pure function of its seed (<see cref="RandomSchedules"/>), so the seed replays it.
/// </summary>
/// <param name="Name">The schedule's name (<c>seed-1234</c> for a random one).</param>
/// <param name="Purpose">What it exercises, in a sentence.</param>
/// <param name="Shape">The cluster.</param>
/// <param name="Steps">The faults.</param>
/// <param name="HealAt">Seconds after the faults begin when everything is healed.</param>
/// <param name="Expect">The scripted outcome, or null.</param>
/// <param name="Seed">The seed of a random schedule, or null.</param>
internal sealed record Schedule(string Name, string Purpose, ClusterShape Shape, IReadOnlyList<ScheduleStep> Steps, double HealAt, Expectation? Expect = null, int? Seed = null)
{
    /// <summary>The largest latency a step adds to every AWS call of a node, in seconds (bounds grow by it).</summary>
    public double CallLatency => Latencies(all: true);

    /// <summary>The largest latency a step adds to one AWS operation of a node (a fence's StopInstances), in seconds.</summary>
    public double OperationLatency => Latencies(all: false);

    private double Latencies(bool all) =>
        Steps.Where(s => s.Action.Kind is ActionKind.AwsLatency or ActionKind.AwsSlowAnswer && (s.Action.Operation is null) == all).Select(s => s.Action.Value).DefaultIfEmpty(0).Max();

    /// <summary>The command that runs this schedule again.</summary>
    public string Replay => Seed is { } seed ? $"--seed {seed}" : $"--schedule {Name}";
}
