namespace ClusterPro.Failover;

/// <summary>What one node knows of the cluster at a moment: itself, its peers and every group's owner.</summary>
/// <param name="Node">This node.</param>
/// <param name="Mode">This node's mode.</param>
/// <param name="Standby">This node is on a minority side and holds back until the majority is back.</param>
/// <param name="Peers">Every peer as this node sees it.</param>
/// <param name="Groups">Every group: its owner as this node knows it, and this node's own part.</param>
/// <param name="DroppedHeartbeats">Heartbeats dropped so far, by reason (forged, replayed, clock skew, unknown sender).</param>
public sealed record ClusterView(
    string Node,
    NodeMode Mode,
    bool Standby,
    IReadOnlyList<PeerStatus> Peers,
    IReadOnlyList<GroupStatus> Groups,
    IReadOnlyDictionary<HeartbeatRejection, long> DroppedHeartbeats)
{
    /// <summary>Whether an operator put this node on standby: it holds and takes no group until unstandby.</summary>
    public bool OperatorStandby { get; init; }

    /// <summary>Whether the cluster is in maintenance as this node follows it: monitors paused, nothing fails over.</summary>
    public bool Maintenance { get; init; }

    /// <summary>The node that holds <paramref name="group"/> as far as this node knows, or <see langword="null"/>.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The owner.</returns>
    public string? OwnerOf(string group) =>
        Groups.FirstOrDefault(g => string.Equals(g.Group, group, StringComparison.OrdinalIgnoreCase))?.Owner;

    /// <summary>A peer's status, or <see langword="null"/> when it is not a peer of this node.</summary>
    /// <param name="node">The peer.</param>
    /// <returns>Its status.</returns>
    public PeerStatus? Peer(string node) =>
        Peers.FirstOrDefault(p => string.Equals(p.Node, node, StringComparison.OrdinalIgnoreCase));
}
