namespace ClusterPro.Aws.Placement;

/// <summary>
/// A resource that can say where AWS points it now, and which configured node that is, without changing anything:
/// the AWS Virtual IP (where its route tables send the VIP), the Elastic IP (the ENI it is associated with) and the
/// DNS record (the addresses its A record holds). The resources registered by <c>AddAwsFromConfiguration</c> and the
/// <c>AddAws…</c> builder methods implement it; resolve one as the keyed <see cref="Resources.IGroupResource"/> and test
/// for this interface. It reads through the same calls as the resource's monitor.
/// </summary>
public interface IAwsResourcePlacement
{
    /// <summary>The resource's name.</summary>
    string Name { get; }

    /// <summary>Reads where AWS points the resource now and matches it against each node's configured values.</summary>
    /// <param name="nodes">The cluster's nodes, whose per-node settings (ENI, address) are compared with what AWS holds.</param>
    /// <param name="cancellationToken">Cancellation; propagates. AWS failures do not throw: they are <see cref="AwsPlacementState.Unknown"/>.</param>
    /// <returns>Where the resource points, per route table or association, and which node that is.</returns>
    Task<AwsResourcePlacement> ReadPlacementAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken = default);
}
