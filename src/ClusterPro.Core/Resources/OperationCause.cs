namespace ClusterPro.Resources;

/// <summary>
/// Why a group operation runs, as the failover core decided it: what a resource (an <c>exec</c> script, for one) is told
/// in <see cref="ResourceContext.Cause"/>, with the node concerned in <see cref="ResourceContext.Peer"/>.
/// </summary>
public enum OperationCause
{
    /// <summary>The group starts here with no previous owner to take over from: cluster start-up, an operator's one-shot
    /// activation, or the rest of a group applied again on the node that holds it.</summary>
    Start,

    /// <summary>
    /// The group comes here because its owner failed: it was lost (crashed, cut off, fenced), restarted without it, or
    /// released it after a failure there (a monitor's failover, an activation that failed). On the releasing node: the
    /// group leaves because it failed here.
    /// </summary>
    Failover,

    /// <summary>
    /// A planned hand-off between healthy nodes: an operator's move, a failback, or the owner's planned stop (SIGTERM),
    /// which hands each group to the next node after releasing it cleanly. On the releasing node: an operator's move or a
    /// failback.
    /// </summary>
    Move,

    /// <summary>The group stops here: this node leaves the cluster (a planned stop, a final action), the group is stopped
    /// (final action <c>StopGroup</c>), another node's claim is newer, or an operator's one-shot deactivation.</summary>
    Stop,
}
