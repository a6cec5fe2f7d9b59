namespace ClusterPro.Witness;

/// <summary>The result of reading a lease.</summary>
/// <param name="Answered">Whether the store answered (false: nothing is known).</param>
/// <param name="Record">The lease when there is one; <see langword="null"/> when there is none (or no answer).</param>
/// <param name="Detail">What happened, in words (codes and messages included).</param>
public sealed record LeaseRead(bool Answered, LeaseRecord? Record, string Detail)
{
    /// <summary>The store gave no usable answer.</summary>
    /// <param name="detail">Why.</param>
    /// <returns>The result.</returns>
    public static LeaseRead NoAnswer(string detail) => new(false, null, detail);
}
