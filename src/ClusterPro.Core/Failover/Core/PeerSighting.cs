namespace ClusterPro.Failover;

/// <summary>A peer the sender heard directly, and how long before sending it last did.</summary>
/// <param name="Node">The peer.</param>
/// <param name="AgeMs">Milliseconds since the sender last heard it.</param>
/// <param name="Incarnation">Which run of it the sender hears.</param>
internal readonly record struct PeerSighting(string Node, long AgeMs, long Incarnation);
