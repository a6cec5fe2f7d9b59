namespace ClusterPro.Failover;

/// <summary>A group's lease as one node knows it.</summary>
/// <param name="Owner">The node holding it, or <see langword="null"/> when it is released (or there is none).</param>
/// <param name="Epoch">Its epoch.</param>
/// <param name="Age">How long this node has seen its current record version (a lease is judged expired after a full lease duration of the same one).</param>
/// <param name="HeldHere">Whether this node holds it.</param>
public sealed record LeaseStatus(string? Owner, long Epoch, TimeSpan Age, bool HeldHere);
