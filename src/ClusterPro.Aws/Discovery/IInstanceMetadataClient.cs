namespace ClusterPro.Aws.Discovery;

/// <summary>Node self-discovery: the instance's identity from its instance metadata service.</summary>
public interface IInstanceMetadataClient
{
    /// <summary>Reads the instance's identity.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The identity.</returns>
    Task<InstanceIdentity> GetIdentityAsync(CancellationToken cancellationToken = default);
}
