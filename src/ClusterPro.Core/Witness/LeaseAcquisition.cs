namespace ClusterPro.Witness;

/// <summary>A request to take a group's lease.</summary>
/// <param name="Group">The group.</param>
/// <param name="Owner">The node taking it.</param>
/// <param name="ExpectedRecordVersion">The record version the caller observed (absent: <see langword="null"/>, meaning the caller saw no lease at all).</param>
/// <param name="RecordVersion">The new record version.</param>
/// <param name="Epoch">The new epoch (greater than the observed one).</param>
public sealed record LeaseAcquisition(string Group, string Owner, string? ExpectedRecordVersion, string RecordVersion, long Epoch);
