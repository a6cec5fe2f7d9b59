namespace ClusterPro.Witness;

/// <summary>A group's lease as stored.</summary>
/// <param name="Group">The group.</param>
/// <param name="Owner">The node holding it, or <see langword="null"/> when it was released.</param>
/// <param name="RecordVersion">Changes with every write (the owner rewrites it on every renewal); a reader that sees the same one for a full lease duration judges the lease expired.</param>
/// <param name="Epoch">Grows with every change of owner; the group's ownership epoch.</param>
public sealed record LeaseRecord(string Group, string? Owner, string RecordVersion, long Epoch);
