namespace ClusterPro.Witness;

/// <summary>
/// A strongly consistent store holding one lease per failover group: the cluster's witness (on AWS, a DynamoDB table
/// with conditional writes). The failover manager activates a group only while it holds the group's lease; expiry is
/// judged by the reader's own clock, from how long it has seen the same record version, so no clock sync is needed
/// (the design of AWS's DynamoDB lock client). Every call has three outcomes — done, refused, unknown — and an unknown
/// answer is never taken for a refusal: the write may have happened.
/// </summary>
public interface IGroupLeaseStore
{
    /// <summary>Reads a group's lease with a strongly consistent read.</summary>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The lease, or that there is none, or that the store gave no answer.</returns>
    Task<LeaseRead> ReadAsync(string group, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a group's lease: writes <paramref name="request"/>'s owner, record version and epoch, on condition that the
    /// lease is still what the caller observed (absent, or the record version it watched long enough to judge expired,
    /// or released).
    /// </summary>
    /// <param name="request">Who takes it, what they observed, and the new record version and epoch.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns><see cref="LeaseOutcome.Held"/> when taken; <see cref="LeaseOutcome.NotHeld"/> with the lease as it is when it changed meanwhile.</returns>
    Task<LeaseWrite> AcquireAsync(LeaseAcquisition request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renews a lease the caller holds: writes a new record version, on condition that the caller is still the owner in
    /// the same epoch (so a renewal whose answer was lost does not break the next).
    /// </summary>
    /// <param name="group">The group.</param>
    /// <param name="owner">The caller.</param>
    /// <param name="epoch">The epoch the caller holds it in.</param>
    /// <param name="recordVersion">The new record version.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns><see cref="LeaseOutcome.Held"/> when renewed; <see cref="LeaseOutcome.NotHeld"/> when another node holds it now.</returns>
    Task<LeaseWrite> RenewAsync(string group, string owner, long epoch, string recordVersion, CancellationToken cancellationToken = default);

    /// <summary>Gives a lease up (the owner is cleared; the epoch stays), on condition that the caller holds it in <paramref name="epoch"/>.</summary>
    /// <param name="group">The group.</param>
    /// <param name="owner">The caller.</param>
    /// <param name="epoch">The epoch the caller holds it in.</param>
    /// <param name="recordVersion">The new record version.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns><see cref="LeaseOutcome.Held"/> when released (the call did what it was asked); <see cref="LeaseOutcome.NotHeld"/> when the caller no longer held it.</returns>
    Task<LeaseWrite> ReleaseAsync(string group, string owner, long epoch, string recordVersion, CancellationToken cancellationToken = default);
}
