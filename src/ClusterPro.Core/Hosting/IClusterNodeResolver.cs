using ClusterPro.DependencyInjection;

namespace ClusterPro.Hosting;

/// <summary>
/// Finds which cluster node this machine is when <see cref="ClusterProOptions.Node"/> is not set (on EC2: the instance's
/// own ID from its metadata service, matched against each node's instance ID; <c>AddNodeFromInstanceMetadata</c> in
/// ClusterPro.Aws).
/// </summary>
public interface IClusterNodeResolver
{
    /// <summary>Finds this machine's node.</summary>
    /// <param name="cluster">The validated cluster options.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The node and how it was found (for the log), e.g. <c>("node2", "instance i-0abc… is node2's")</c>.</returns>
    /// <exception cref="ClusterProConfigurationException">The machine is none of the nodes; the message names the setting to fix.</exception>
    Task<(string Node, string How)> ResolveNodeAsync(ClusterProOptions cluster, CancellationToken cancellationToken = default);
}
