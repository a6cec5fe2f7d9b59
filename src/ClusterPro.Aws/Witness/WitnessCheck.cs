namespace ClusterPro.Aws.Witness;

/// <summary>One preflight check of the witness table.</summary>
/// <param name="Verdict">Pass, warn or fail.</param>
/// <param name="What">What was checked (e.g. <c>witness table clusterpro-witness: key schema</c>).</param>
/// <param name="Detail">What was found; for a warning or a failure, ending with <c>Fix: …</c>.</param>
public sealed record WitnessCheck(WitnessCheckVerdict Verdict, string What, string Detail);
