using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ClusterPro.Nemesis;

/// <summary>
/// One node's network-partition target (its <c>NetworkPartition:Http</c> entry): answers 200 to any request while
/// reachable; while not, it accepts and never answers, so the node's probe times out as it would behind a dead link.
/// </summary>
internal sealed class NpTarget : IAsyncDisposable
{
    private static readonly byte[] Ok = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private volatile bool _reachable = true;

    /// <summary>Listens on a free loopback port.</summary>
    public NpTarget()
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accept = Task.Run(() => TcpAccept.EachAsync(_listener, AnswerAsync, _stop.Token));
    }

    /// <summary>Its port.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Whether it answers.</summary>
    public bool Reachable
    {
        get => _reachable;
        set => _reachable = value;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accept.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AnswerAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new List<byte>();
                var buffer = new byte[1024];
                while (!Encoding.ASCII.GetString([.. head]).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                    if (read <= 0)
                    {
                        return;
                    }

                    head.AddRange(buffer.AsSpan(0, read));
                }

                if (_reachable)
                {
                    await stream.WriteAsync(Ok, cancellationToken).ConfigureAwait(false);
                    return;
                }

                // Unreachable: no answer; the prober's own timeout ends it (it closes, the read returns 0).
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(TimeSpan.FromSeconds(30));
                _ = await stream.ReadAsync(buffer, limit.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }
}
