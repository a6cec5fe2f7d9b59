using System.Net.Sockets;
using ClusterPro.Resources;
using ClusterPro.Monitoring;

namespace ClusterPro.Applications.Tcp;

/// <summary>Connects once per check: accepted is normal; refused, unreachable or unresolvable is error 7.</summary>
internal sealed class TcpMonitor(string name, PerNode<string> addresses) : IMonitorResource
{
    public string Name { get; } = name;

    public async Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = addresses.ResolveRequired(context.NodeName, "Address");
        var (host, port) = TcpAddress.Parse(address) ?? throw new InvalidOperationException($"'{address}' is not host:port.");
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return MonitorResult.Normal($"{address} accepted a connection.");
        }
        catch (SocketException ex)
        {
            return MonitorResult.Error(ApplicationResultCodes.ConnectFailed, $"Could not connect to {address}: {ex.SocketErrorCode} ({ex.Message}).");
        }
    }
}
