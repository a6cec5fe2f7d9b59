using System.Net;

namespace ClusterPro.Control;

/// <summary>
/// A heartbeat transport that also tells who sent each packet and can answer that sender, so that an operator's tool
/// (which is no node) can ask a node over the control channel. <see cref="Failover.UdpHeartbeatTransport"/> is one.
/// </summary>
internal interface IControlEndpoint
{
    /// <summary>Receives the next packet and its sender.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The packet and where it came from.</returns>
    Task<(ReadOnlyMemory<byte> Packet, EndPoint From)> ReceiveFromAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends a packet to an address (the sender of a request).</summary>
    /// <param name="to">The address.</param>
    /// <param name="packet">The packet.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task.</returns>
    Task ReplyAsync(EndPoint to, ReadOnlyMemory<byte> packet, CancellationToken cancellationToken = default);
}
