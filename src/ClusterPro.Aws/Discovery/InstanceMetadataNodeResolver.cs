using ClusterPro.Aws.Fencing;
using ClusterPro.DependencyInjection;
using ClusterPro.Hosting;

namespace ClusterPro.Aws.Discovery;

/// <summary>
/// Finds this machine's node: the instance ID its metadata service gives, matched against each node's instance ID. Only
/// settings that cannot work (no instance IDs, no node with this instance's ID) are configuration problems; a metadata
/// service that does not answer is a plain failure, so a service manager restarts the node and it asks again.
/// </summary>
internal sealed class InstanceMetadataNodeResolver(IInstanceMetadataClient metadata, InstanceMetadataNodeOptions options, AwsFencingOptions fencing) : IClusterNodeResolver
{
    private const string Root = ClusterProOptions.SectionName;

    public async Task<(string Node, string How)> ResolveNodeAsync(ClusterProOptions cluster, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var known = cluster.NodeNames
            .Select(n => (Node: n, Id: options.InstanceId.Resolve(n), Setting: $"{Root}:NodeIdentity:InstanceId"))
            .Select(n => n.Id is null ? (n.Node, Id: fencing.InstanceId.Resolve(n.Node), Setting: $"{Root}:Fencing:InstanceId") : n)
            .ToList();
        if (known.All(n => string.IsNullOrEmpty(n.Id)))
        {
            throw new ClusterProConfigurationException(
                $"{Root}:Node is not set, and no node has an instance ID to recognise this instance by; set {Root}:Node (or --node), or give each node its instance ID in {Root}:Fencing:InstanceId or {Root}:NodeIdentity:InstanceId.");
        }

        string instanceId;
        try
        {
            instanceId = (await metadata.GetIdentityAsync(cancellationToken).ConfigureAwait(false)).InstanceId;
        }
        catch (InvalidOperationException ex)
        {
            // Not a configuration problem (that would exit 64, which the service manager does not retry): the metadata
            // service may answer on the next start, so this is a plain failure and the process exits as one.
            throw new InvalidOperationException(
                $"Instance metadata unreachable at {options.Metadata.Endpoint}; the node's identity is unknown ({Root}:Node is not set): {ex.Message}", ex);
        }

        var match = known.FirstOrDefault(n => string.Equals(n.Id, instanceId, StringComparison.Ordinal));
        return match.Node is not null
            ? (match.Node, $"instance {instanceId} (from its metadata service) is {match.Node}'s in {match.Setting}")
            : throw new ClusterProConfigurationException(
                $"This instance ({instanceId}, from its metadata service) is none of the nodes' instances ({string.Join(", ", known.Select(n => $"{n.Node}: {n.Id ?? "none"}"))}); set {Root}:Node (or --node), or fix the instance IDs in {known[0].Setting}.");
    }
}
