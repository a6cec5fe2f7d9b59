namespace ClusterPro.Failover;

/// <summary>A group as one node sees it.</summary>
/// <param name="Group">The group.</param>
/// <param name="Owner">The node holding it, or <see langword="null"/> when none does.</param>
/// <param name="Epoch">The ownership epoch of the newest claim (grows with every change of owner).</param>
/// <param name="OwnerState">The newest claim's state, or <see langword="null"/> when the group was never claimed.</param>
/// <param name="LocalState">This node's own claim, or <see langword="null"/> when it never held the group.</param>
/// <param name="Lease">With a witness: the group's lease as this node last read or wrote it; otherwise <see langword="null"/>.</param>
public sealed record GroupStatus(string Group, string? Owner, long Epoch, GroupClaimState? OwnerState, GroupClaimState? LocalState, LeaseStatus? Lease = null);
