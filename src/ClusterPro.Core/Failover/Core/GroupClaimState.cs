namespace ClusterPro.Failover;

/// <summary>A node's claim on a failover group, as it announces in its heartbeats.</summary>
public enum GroupClaimState
{
    /// <summary>The node is activating the group.</summary>
    Activating,

    /// <summary>The group is active on the node.</summary>
    Active,

    /// <summary>The node is deactivating the group.</summary>
    Deactivating,

    /// <summary>Deactivation failed: the node may still hold part of the group (a peer fences it before taking over).</summary>
    Stuck,

    /// <summary>The node released the group (to a named node, or to whichever node should run it).</summary>
    Released,

    /// <summary>The group was stopped on purpose (final action <see cref="FinalAction.StopGroup"/>); no node starts it by itself.</summary>
    Stopped,
}
