namespace ClusterPro.Nemesis;

/// <summary>What a scripted schedule's correct outcome is, checked besides the general properties.</summary>
/// <param name="OwnersBeforeHeal">The nodes one of which must serve the group when the faults are healed.</param>
/// <param name="OnlyFenced">The only nodes whose instances may be stopped, or null for any.</param>
internal sealed record Expectation(IReadOnlyList<string> OwnersBeforeHeal, IReadOnlyList<string>? OnlyFenced);
