namespace ClusterPro.Aws.Host;

/// <summary>Gives each node its host address manager (in one process, the demo and tests run two nodes).</summary>
public interface IHostAddressManagerProvider
{
    /// <summary>The manager for <paramref name="nodeName"/>.</summary>
    /// <param name="nodeName">The node.</param>
    /// <returns>The manager.</returns>
    IHostAddressManager ForNode(string nodeName);
}
