namespace ClusterPro.Nemesis;

/// <summary>One schedule's outcome.</summary>
/// <param name="Schedule">The schedule.</param>
/// <param name="Violations">What the checker found.</param>
/// <param name="Stats">What it measured.</param>
/// <param name="Seconds">Wall-clock seconds the run took.</param>
/// <param name="Folder">Its artifacts (timeline, node logs, configurations).</param>
/// <param name="Timeline">Its timeline.</param>
/// <param name="SamplerLag">The most a sample came later than planned (seconds): the machine was overloaded when large.</param>
/// <param name="Load">The machine's load average over the last minute when the run ended.</param>
internal sealed record RunResult(Schedule Schedule, IReadOnlyList<Violation> Violations, RunStats Stats, double Seconds, string Folder, IReadOnlyList<string> Timeline, double SamplerLag, double Load)
{
    /// <summary>Safety violations.</summary>
    public int Safety => Violations.Count(v => v.Category == Violation.Safety);

    /// <summary>Liveness violations.</summary>
    public int Liveness => Violations.Count(v => v.Category == Violation.Liveness);
}
