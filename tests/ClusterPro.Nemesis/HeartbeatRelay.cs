using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Nemesis;

/// <summary>
/// The heartbeat network. Each node binds its own <c>Heartbeat:Endpoints</c> entry, but its configuration points every
/// peer's entry at a relay port of the suite, one per direction: what node A sends to "B" arrives here and is passed on
/// to B's real port — or dropped or delayed, per direction, so links can be cut one way, both ways, or made lossy.
/// </summary>
internal sealed class HeartbeatRelay : IAsyncDisposable
{
    private readonly Dictionary<(string From, string To), Link> _links = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    /// <summary>Binds one relay port per direction and starts relaying.</summary>
    /// <param name="nodePorts">Each node's own heartbeat port.</param>
    /// <param name="seed">Seeds packet loss.</param>
    public HeartbeatRelay(IReadOnlyDictionary<string, int> nodePorts, int seed)
    {
        var i = 0;
        foreach (var from in nodePorts.Keys)
        {
            foreach (var to in nodePorts.Keys.Where(n => n != from))
            {
                var link = new Link(new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)), new IPEndPoint(IPAddress.Loopback, nodePorts[to]), new Random(seed + (++i * 7919)));
                _links[(from, to)] = link;
                _loops.Add(Task.Run(() => RelayAsync(link, _stop.Token)));
            }
        }
    }

    /// <summary>The port node <paramref name="from"/> sends to for <paramref name="to"/>.</summary>
    /// <param name="from">The sender.</param>
    /// <param name="to">The receiver.</param>
    /// <returns>The relay port.</returns>
    public int PortFor(string from, string to) => ((IPEndPoint)_links[(from, to)].Socket.Client.LocalEndPoint!).Port;

    /// <summary>Sets what happens to heartbeats from <paramref name="from"/> to <paramref name="to"/>.</summary>
    /// <param name="from">The sender.</param>
    /// <param name="to">The receiver.</param>
    /// <param name="rule">The rule.</param>
    public void Set(string from, string to, LinkRule rule) => _links[(from, to)].Rule = rule;

    /// <summary>Every link of <paramref name="node"/>, both directions.</summary>
    /// <param name="node">The node.</param>
    /// <param name="rule">The rule.</param>
    public void SetAll(string node, LinkRule rule)
    {
        foreach (var (from, to) in _links.Keys.Where(k => k.From == node || k.To == node))
        {
            Set(from, to, rule);
        }
    }

    /// <summary>Every link clean.</summary>
    public void HealAll()
    {
        foreach (var link in _links.Values)
        {
            link.Rule = LinkRule.Clean;
        }
    }

    /// <summary>The directions with any fault on them.</summary>
    /// <returns>(from, to) pairs.</returns>
    public IReadOnlySet<(string From, string To)> Faulted() => _links.Where(l => l.Value.Rule.Faulted).Select(l => l.Key).ToHashSet();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var link in _links.Values)
        {
            link.Socket.Dispose();
        }

        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private static async Task RelayAsync(Link link, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            UdpReceiveResult packet;
            try
            {
                packet = await link.Socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // ICMP port unreachable from a node that is down; keep relaying.
                continue;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            var rule = link.Rule;
            bool lost;
            lock (link.Random)
            {
                lost = rule.Cut || (rule.Loss > 0 && link.Random.NextDouble() < rule.Loss);
            }

            if (lost)
            {
                continue;
            }

            if (rule.Delay > TimeSpan.Zero)
            {
                _ = SendLaterAsync(link, packet.Buffer, rule.Delay, cancellationToken);
            }
            else
            {
                await SendAsync(link, packet.Buffer, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task SendLaterAsync(Link link, byte[] packet, TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            // A packet already on the way arrives, even if the link is cut meanwhile.
            await Task.Delay(delay, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            await SendAsync(link, packet, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task SendAsync(Link link, byte[] packet, CancellationToken cancellationToken)
    {
        try
        {
            await link.Socket.SendAsync(packet, link.Target, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The receiver is down: a lost heartbeat, as on a real network.
        }
    }

    /// <summary>One direction: its socket, where it delivers, and its rule.</summary>
    private sealed class Link(UdpClient socket, IPEndPoint target, Random random)
    {
        public UdpClient Socket { get; } = socket;

        public IPEndPoint Target { get; } = target;

        public Random Random { get; } = random;

        public LinkRule Rule { get; set; } = LinkRule.Clean;
    }
}
