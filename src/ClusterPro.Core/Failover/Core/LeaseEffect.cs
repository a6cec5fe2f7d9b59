using ClusterPro.Witness;

namespace ClusterPro.Failover;

/// <summary>What a lease call does.</summary>
internal enum LeaseCall
{
    Read,
    Acquire,
    Renew,
    Release,
}

/// <summary>Call the witness about a group's lease; answer with <see cref="FailoverCore.LeaseCompleted"/>.</summary>
/// <param name="Id">The effect's id.</param>
/// <param name="Group">The group.</param>
/// <param name="Call">Read, acquire, renew or release.</param>
/// <param name="Acquisition">For an acquisition: what to write and on what condition.</param>
/// <param name="Epoch">For a renewal or release: the epoch the lease is held in.</param>
/// <param name="RecordVersion">For a renewal or release: the new record version.</param>
internal sealed record LeaseEffect(long Id, string Group, LeaseCall Call, LeaseAcquisition? Acquisition = null, long Epoch = 0, string? RecordVersion = null) : CoreEffect;
