namespace ClusterPro.Witness;

/// <summary>How a lease write ended.</summary>
public enum LeaseOutcome
{
    /// <summary>The write happened: the caller holds the lease (or, for a release, gave it up).</summary>
    Held,

    /// <summary>The condition failed: another node holds the lease, or it changed since the caller looked.</summary>
    NotHeld,

    /// <summary>No usable answer (timeout, throttling, 5xx, network): the write may or may not have happened.</summary>
    Unknown,
}
