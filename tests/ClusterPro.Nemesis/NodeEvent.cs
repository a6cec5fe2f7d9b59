namespace ClusterPro.Nemesis;

/// <summary>
/// A failover event a node logged (event ids 3100–3119: <c>node2: FenceCompleted node1: …</c>), stamped when the suite
/// read the line.
/// </summary>
/// <param name="T">Run seconds.</param>
/// <param name="Node">The node that logged it.</param>
/// <param name="Kind">The event kind, e.g. <c>GroupActivated</c>.</param>
/// <param name="Subject">What it is about: a peer, a group, the node itself.</param>
/// <param name="Detail">The rest of the line.</param>
/// <param name="Succeeded">Whether it was logged at the level of a success (a failed activation is an error line).</param>
internal sealed record NodeEvent(double T, string Node, string Kind, string Subject, string Detail, bool Succeeded);
