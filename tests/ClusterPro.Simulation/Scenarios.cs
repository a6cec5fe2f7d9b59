namespace ClusterPro.Simulation;

/// <summary>A named, scripted history that replays one finding.</summary>
/// <param name="Name">Its name (for --scenario).</param>
/// <param name="Finding">What it replays.</param>
/// <param name="Build">Creates the simulation.</param>
internal sealed record Scenario(string Name, string Finding, Func<bool, Simulation> Build);

/// <summary>The named scenarios.</summary>
internal static partial class Scenarios
{
    public static IReadOnlyList<Scenario> All { get; } = Create();

    private static partial IReadOnlyList<Scenario> Create();
}
