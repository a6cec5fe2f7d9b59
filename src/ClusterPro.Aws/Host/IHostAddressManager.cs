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
