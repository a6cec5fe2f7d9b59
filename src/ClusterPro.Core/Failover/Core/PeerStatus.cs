namespace ClusterPro.Failover;

/// <summary>A peer as one node sees it.</summary>
/// <param name="Node">The peer.</param>
/// <param name="State">Its liveness.</param>
/// <param name="Mode">The mode it last announced.</param>
/// <param name="ActiveGroups">The groups it last said it holds.</param>
/// <param name="SilentFor">Time since its last heartbeat, or <see langword="null"/> when never heard.</param>
/// <param name="Fenced">Whether this node fenced it (and it has not started again since).</param>
public sealed record PeerStatus(string Node, PeerState State, NodeMode Mode, IReadOnlyList<string> ActiveGroups, TimeSpan? SilentFor, bool Fenced)
{
    /// <summary>Whether the peer says an operator put it on standby: it takes no group.</summary>
    public bool OperatorStandby { get; init; }
}
