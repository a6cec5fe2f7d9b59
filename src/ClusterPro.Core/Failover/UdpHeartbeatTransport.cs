using System.Net;
using System.Net.Sockets;
using ClusterPro.Control;

namespace ClusterPro.Failover;

/// <summary>Heartbeats over UDP: this node listens on its endpoint and sends to each peer's. The same socket carries the
/// control channel, whose requests may come from an operator's tool at any address.</summary>
public sealed class UdpHeartbeatTransport : IHeartbeatTransport, IControlEndpoint
{
    private readonly UdpClient _udp;
    private readonly Dictionary<string, IPEndPoint> _peers;

    /// <summary>Binds this node's endpoint.</summary>
    /// <param name="self">This node.</param>
    /// <param name="endpoints">Every node's endpoint (<c>host:port</c>).</param>
    public UdpHeartbeatTransport(string self, IReadOnlyDictionary<string, string> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        _peers = endpoints.ToDictionary(e => e.Key, e => Parse(e.Key, e.Value), StringComparer.OrdinalIgnoreCase);
        if (!_peers.TryGetValue(self, out var local))
        {
            throw new InvalidOperationException($"ClusterPro:Heartbeat:Endpoints has no endpoint for node '{self}'; add \"{self}\": \"<address>:<port>\".");
        }

        _udp = new UdpClient(local);
    }

    /// <inheritdoc />
    public async Task SendAsync(string peer, ReadOnlyMemory<byte> packet, CancellationToken cancellationToken = default)
    {
        if (_peers.TryGetValue(peer, out var endpoint))
        {
            try
            {
                await _udp.SendAsync(packet, endpoint, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // A lost heartbeat is what heartbeats are for; the peer's timeout handles it.
            }
        }
    }

    /// <inheritdoc />
    public async Task<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken = default) =>
        (await ReceiveFromAsync(cancellationToken).ConfigureAwait(false)).Packet;

    /// <inheritdoc />
    async Task<(ReadOnlyMemory<byte> Packet, EndPoint From)> IControlEndpoint.ReceiveFromAsync(CancellationToken cancellationToken) =>
        await ReceiveFromAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    async Task IControlEndpoint.ReplyAsync(EndPoint to, ReadOnlyMemory<byte> packet, CancellationToken cancellationToken)
    {
        try
        {
            await _udp.Client.SendToAsync(packet, SocketFlags.None, to, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // The tool asks again, or gives up within its budget.
        }
    }

    private async Task<(ReadOnlyMemory<byte> Packet, EndPoint From)> ReceiveFromAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var result = await _udp.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                return (result.Buffer, result.RemoteEndPoint);
            }
            catch (SocketException)
            {
                // ICMP port unreachable from a peer that is down surfaces here on some systems; keep listening.
            }
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _udp.Dispose();
        return ValueTask.CompletedTask;
    }

    private static IPEndPoint Parse(string node, string value) =>
        IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port != 0
            ? endpoint
            : throw new InvalidOperationException($"ClusterPro:Heartbeat:Endpoints:{node} is '{value}'; use address:port, e.g. 10.0.110.100:5405.");
}
