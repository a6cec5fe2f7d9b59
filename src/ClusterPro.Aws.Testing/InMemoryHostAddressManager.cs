using System.Collections.Concurrent;
using System.Net;
using ClusterPro.Aws.Host;

namespace ClusterPro.Aws.Testing;

/// <summary>
/// Addresses kept in memory per node and interface, in place of the OS's: for tests and demos that run several nodes in
/// one process. Register it as the <see cref="IHostAddressManagerProvider"/> (each node gets its own set from
/// <see cref="ForNode"/>) and read what a resource added with <see cref="ListAsync"/>. The same store as the
/// <c>memory</c> kind of <c>ClusterPro:HostAddresses</c>.
/// </summary>
public sealed class InMemoryHostAddressManager : IHostAddressManager, IHostAddressManagerProvider
{
    private readonly MemoryHostAddressManager _inner;
    private readonly ConcurrentDictionary<string, InMemoryHostAddressManager> _nodes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates an empty store.</summary>
    public InMemoryHostAddressManager()
        : this(new MemoryHostAddressManager())
    {
    }

    private InMemoryHostAddressManager(MemoryHostAddressManager inner) => _inner = inner;

    /// <inheritdoc />
    public IHostAddressManager ForNode(string nodeName) =>
        _nodes.GetOrAdd(nodeName, n => new InMemoryHostAddressManager((MemoryHostAddressManager)_inner.ForNode(n)));

    /// <inheritdoc />
    public Task<IReadOnlyList<IPAddress>> ListAsync(string interfaceName, CancellationToken cancellationToken = default) =>
        _inner.ListAsync(interfaceName, cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default) =>
        _inner.AddAsync(interfaceName, address, prefixLength, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default) =>
        _inner.RemoveAsync(interfaceName, address, prefixLength, cancellationToken);
}
