using System.Collections.Concurrent;
using System.Net;

namespace ClusterPro.Aws.Host;

/// <summary>Adds, removes and lists IPv4 addresses on an OS network interface (the VIP and secondary IP resources use it).</summary>
public interface IHostAddressManager
{
    /// <summary>False for a manager that leaves the OS alone (monitors then skip the OS address check).</summary>
    bool ManagesAddresses => true;

    /// <summary>The IPv4 addresses on the interface.</summary>
    /// <param name="interfaceName">The interface (e.g. <c>eth0</c>).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The addresses.</returns>
    Task<IReadOnlyList<IPAddress>> ListAsync(string interfaceName, CancellationToken cancellationToken = default);

    /// <summary>Adds an address unless present.</summary>
    /// <param name="interfaceName">The interface.</param>
    /// <param name="address">The address.</param>
    /// <param name="prefixLength">Its prefix length (32 for a VIP).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when added, false when it was already there.</returns>
    Task<bool> AddAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default);

    /// <summary>Removes an address if present.</summary>
    /// <param name="interfaceName">The interface.</param>
    /// <param name="address">The address.</param>
    /// <param name="prefixLength">Its prefix length.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when removed, false when it was not there.</returns>
    Task<bool> RemoveAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default);
}

/// <summary>Gives each node its host address manager (in one process, the demo and tests run two nodes).</summary>
public interface IHostAddressManagerProvider
{
    /// <summary>The manager for <paramref name="nodeName"/>.</summary>
    /// <param name="nodeName">The node.</param>
    /// <returns>The manager.</returns>
    IHostAddressManager ForNode(string nodeName);
}

/// <summary>Uses one manager for every node (a real host runs one node).</summary>
/// <param name="manager">The manager.</param>
public sealed class SingleHostAddressManagerProvider(IHostAddressManager manager) : IHostAddressManagerProvider
{
    /// <inheritdoc />
    public IHostAddressManager ForNode(string nodeName) => manager;
}

/// <summary>
/// Leaves the OS alone: adds and removes nothing and reports every address as present. For hosts whose
/// addresses are managed elsewhere; with it, the VIP monitor checks routes only.
/// </summary>
public sealed class NoOpHostAddressManager : IHostAddressManager
{
    /// <inheritdoc />
    public bool ManagesAddresses => false;

    /// <inheritdoc />
    public Task<IReadOnlyList<IPAddress>> ListAsync(string interfaceName, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IPAddress>>([]);

    /// <inheritdoc />
    public Task<bool> AddAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default) => Task.FromResult(false);

    /// <inheritdoc />
    public Task<bool> RemoveAsync(string interfaceName, IPAddress address, int prefixLength, CancellationToken cancellationToken = default) => Task.FromResult(false);
}

/// <summary>Addresses kept in memory per node and interface: for tests and demos that run several nodes in one process.</summary>
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
