namespace ClusterPro.Simulation;

internal static partial class Scenarios
{
    private static partial IReadOnlyList<Scenario> Create() => [];
}
