namespace ClusterPro.Failover;

/// <summary>Moves heartbeat packets between nodes.</summary>
public interface IHeartbeatTransport : IAsyncDisposable
{
    /// <summary>Sends a packet to a peer.</summary>
    /// <param name="peer">The peer.</param>
    /// <param name="packet">The packet.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task.</returns>
    Task SendAsync(string peer, ReadOnlyMemory<byte> packet, CancellationToken cancellationToken = default);

    /// <summary>Receives the next packet.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The packet.</returns>
    Task<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken = default);
}
