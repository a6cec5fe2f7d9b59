using System.Net.Sockets;

namespace ClusterPro.Nemesis;

/// <summary>The accept loop of the suite's small TCP servers (the AWS proxies, the NP targets).</summary>
internal static class TcpAccept
{
    /// <summary>Accepts connections until cancelled or the listener stops, and serves each on its own task.</summary>
    /// <param name="listener">The listener, started.</param>
    /// <param name="serve">Serves one connection (and disposes of it).</param>
    /// <param name="cancellationToken">Stops accepting.</param>
    /// <returns>A task that ends when accepting stops.</returns>
    public static async Task EachAsync(TcpListener listener, Func<TcpClient, CancellationToken, Task> serve, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => serve(client, cancellationToken), CancellationToken.None);
        }
    }
}
