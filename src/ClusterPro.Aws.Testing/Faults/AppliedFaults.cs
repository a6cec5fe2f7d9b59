namespace ClusterPro.Aws.Testing.Faults;

/// <summary>The fault rules that apply to one call: latencies to add, then at most one rule that changes the answer.</summary>
/// <param name="Latencies">Latency rules, in order.</param>
/// <param name="Terminal">The error, deny, hang or reset rule, if any.</param>
internal sealed record AppliedFaults(IReadOnlyList<FaultRule> Latencies, FaultRule? Terminal);
