namespace ClusterPro.Partition;

/// <summary>What a network-partition probe saw.</summary>
public enum PartitionProbeStatus
{
    /// <summary>The shared target answered: the peer is the one that is cut off (or down).</summary>
    Reachable,

    /// <summary>The shared target did not answer: this node is isolated and must not keep or take the group.</summary>
    Unreachable,
}

/// <summary>The result of one network-partition probe.</summary>
/// <param name="Resolver">The resolver's name.</param>
/// <param name="Status">Reachable or unreachable.</param>
/// <param name="Detail">What was probed and what came back (status code, error).</param>
public sealed record PartitionProbeResult(string Resolver, PartitionProbeStatus Status, string Detail);

/// <summary>
/// A network-partition (NP) resolver: probes a target every node should reach and says whether this node
/// still reaches it. Who survives a split is decided from these answers by a pure function, not here.
/// </summary>
public interface INetworkPartitionResolver
{
    /// <summary>The resolver's name.</summary>
    string Name { get; }

    /// <summary>Probes the target once.</summary>
    /// <param name="cancellationToken">Cancellation; propagates.</param>
    /// <returns>Reachable or unreachable, with detail. A probe that times out is unreachable.</returns>
    Task<PartitionProbeResult> ProbeAsync(CancellationToken cancellationToken = default);
}
