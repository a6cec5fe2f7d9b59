namespace ClusterPro.Aws.Witness;

/// <summary>How setting up the witness table ended.</summary>
/// <param name="Succeeded">The table exists with the witness's key and is <c>ACTIVE</c>.</param>
/// <param name="Created">This call created it (false: it was there already).</param>
/// <param name="Detail">What was done or found; for a failure, the cause and the fix.</param>
public sealed record WitnessTableSetup(bool Succeeded, bool Created, string Detail);
