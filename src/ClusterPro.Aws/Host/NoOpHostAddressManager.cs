using System.Net;

namespace ClusterPro.Aws.Host;

/// <summary>
/// Leaves the OS alone, for hosts whose addresses are managed elsewhere: <see cref="ManagesAddresses"/> is false, so
/// the VIP and secondary IP monitors skip the OS address check and check AWS only; it lists no address, and adding or
/// removing one changes nothing and reports false ("nothing changed"), so the resources report no OS change.
/// </summary>
public sealed class NoOpHostAddressManager : IHostAddressManager
{
    /// <inheritdoc />
    public bool ManagesAddresses => false;

    /// <summary>Lists nothing: this manager does not read the OS.</summary>
    /// <param name="interfaceName">The interface (ignored).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>An empty list.</returns>
    public Task<IReadOnlyList<IPAddress>> ListAsync(string interfaceName, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IPAddress>>([]);

    /// <summary>Adds nothing.</summary>
    /// <param name="interfaceName">The interface (ignored).</param>
    /// <param name="address">The address (ignored).</param>
    /// <param name="prefixLength">The prefix length (ignored).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>False: nothing was changed.</returns>
    public Task<bool> AddAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default) => Task.FromResult(false);

    /// <summary>Removes nothing.</summary>
    /// <param name="interfaceName">The interface (ignored).</param>
    /// <param name="address">The address (ignored).</param>
    /// <param name="prefixLength">The prefix length (ignored).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>False: nothing was changed.</returns>
    public Task<bool> RemoveAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default) => Task.FromResult(false);
}
