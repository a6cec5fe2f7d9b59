namespace ClusterPro.Resources;

/// <summary>Where a resource operation runs: the node (so per-node settings resolve there) and its group, and why.</summary>
/// <param name="NodeName">The cluster node the operation runs on (e.g. <c>node1</c>).</param>
/// <param name="GroupName">The failover group the resource belongs to (e.g. <c>failover1</c>).</param>
public sealed record ResourceContext(string NodeName, string GroupName)
{
    /// <summary>
    /// Why the operation runs, as the failover core decided it. <value>Default: <see cref="OperationCause.Start"/>; a
    /// <see cref="Groups.FailoverGroup"/> deactivation without a cause says <see cref="OperationCause.Stop"/>.</value>
    /// </summary>
    public OperationCause Cause { get; init; }

    /// <summary>
    /// The other node concerned, when there is one: on activation the node the group is taken over from (its previous
    /// owner); on deactivation the node it is handed to. <value>Default: <see langword="null"/> (none, or not known).</value>
    /// </summary>
    public string? Peer { get; init; }
}
