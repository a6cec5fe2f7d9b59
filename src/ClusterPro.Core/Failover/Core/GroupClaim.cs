namespace ClusterPro.Failover;

/// <summary>
/// One node's claim on a group. Claims are ordered by epoch (every change of owner takes a higher one), then by the
/// holder's priority (a tie of two concurrent takeovers goes to the higher-priority node), then by version (the
/// holder's later states of one epoch). Every node keeps the highest claim it has seen for each group and passes it on
/// in its heartbeats, so a node that does not hear the owner directly still learns of it.
/// </summary>
/// <param name="Group">The group.</param>
/// <param name="Epoch">The ownership epoch.</param>
/// <param name="Holder">The node the claim is about.</param>
/// <param name="Incarnation">The holder's incarnation when it made the claim (a restarted holder's old claims are void).</param>
/// <param name="State">The claim.</param>
/// <param name="Version">Increases with each of the holder's changes.</param>
/// <param name="Target">For <see cref="GroupClaimState.Released"/>: the node the group was handed to, if any.</param>
/// <param name="Failed">For <see cref="GroupClaimState.Released"/>: the holder released it because it failed there.</param>
internal sealed record GroupClaim(string Group, long Epoch, string Holder, long Incarnation, GroupClaimState State, long Version, string? Target = null, bool Failed = false)
{
    /// <summary>Whether the holder (may) still hold the group.</summary>
    public bool Holding => State is GroupClaimState.Activating or GroupClaimState.Active or GroupClaimState.Deactivating or GroupClaimState.Stuck;
}
