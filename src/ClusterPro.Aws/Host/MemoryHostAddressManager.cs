using System.Collections.Concurrent;
using System.Net;

namespace ClusterPro.Aws.Host;

/// <summary>
/// Addresses kept in memory per node and interface: the <c>memory</c> kind of <c>ClusterPro:HostAddresses</c>, for demos
/// and tests that run nodes without touching the OS. Tests composing nodes in code use ClusterPro.Aws.Testing's
/// <c>InMemoryHostAddressManager</c>, a public face of this one.
/// </summary>
internal sealed class MemoryHostAddressManager : IHostAddressManager, IHostAddressManagerProvider
{
    private readonly ConcurrentDictionary<string, MemoryHostAddressManager> _nodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, HashSet<IPAddress>> _interfaces = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public IHostAddressManager ForNode(string nodeName) => _nodes.GetOrAdd(nodeName, _ => new MemoryHostAddressManager());

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
