namespace ClusterPro.Aws.Host;

/// <summary>Uses one manager for every node (a real host runs one node).</summary>
/// <param name="manager">The manager.</param>
public sealed class SingleHostAddressManagerProvider(IHostAddressManager manager) : IHostAddressManagerProvider
{
    /// <inheritdoc />
    public IHostAddressManager ForNode(string nodeName) => manager;
}
