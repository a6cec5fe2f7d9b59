namespace ClusterPro.Resources;

/// <summary>Where a resource operation runs: the node (so per-node settings resolve there) and its group.</summary>
/// <param name="NodeName">The cluster node the operation runs on (e.g. <c>node1</c>).</param>
/// <param name="GroupName">The failover group the resource belongs to (e.g. <c>failover1</c>).</param>
public sealed record ResourceContext(string NodeName, string GroupName);
