using System.Collections.Concurrent;
using System.Net;
using ClusterPro.Aws.Host;

namespace ClusterPro.Aws.Testing;

/// <summary>
/// Addresses kept in memory per node and interface, in place of the OS's: for tests and demos that run several nodes in
/// one process. Register it as the <see cref="IHostAddressManagerProvider"/> (each node gets its own set from
/// <see cref="ForNode"/>) and read what a resource added with <see cref="ListAsync"/>.
/// </summary>
public sealed class InMemoryHostAddressManager : IHostAddressManager, IHostAddressManagerProvider
{
    private readonly ConcurrentDictionary<string, InMemoryHostAddressManager> _nodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, HashSet<IPAddress>> _interfaces = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IHostAddressManager ForNode(string nodeName) => _nodes.GetOrAdd(nodeName, _ => new InMemoryHostAddressManager());

    /// <inheritdoc />
    public Task<IReadOnlyList<IPAddress>> ListAsync(string interfaceName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var set = _interfaces.GetOrAdd(interfaceName, _ => []);
        lock (set)
        {
            return Task.FromResult<IReadOnlyList<IPAddress>>([.. set]);
        }
    }

    /// <inheritdoc />
    public Task<bool> AddAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var set = _interfaces.GetOrAdd(interfaceName, _ => []);
        lock (set)
        {
            return Task.FromResult(set.Add(address));
        }
    }

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var set = _interfaces.GetOrAdd(interfaceName, _ => []);
        lock (set)
        {
            return Task.FromResult(set.Remove(address));
        }
    }
}
