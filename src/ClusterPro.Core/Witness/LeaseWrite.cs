namespace ClusterPro.Witness;

/// <summary>The result of a lease write.</summary>
/// <param name="Outcome">Held, not held, or unknown.</param>
/// <param name="Current">For <see cref="LeaseOutcome.NotHeld"/>, the lease as it is now when the store says so.</param>
/// <param name="Detail">What happened, in words (codes and messages included).</param>
public sealed record LeaseWrite(LeaseOutcome Outcome, LeaseRecord? Current, string Detail)
{
    /// <summary>The store gave no usable answer: the write may or may not have happened.</summary>
    /// <param name="detail">Why.</param>
    /// <returns>The result.</returns>
    public static LeaseWrite Unknown(string detail) => new(LeaseOutcome.Unknown, null, detail);
}
