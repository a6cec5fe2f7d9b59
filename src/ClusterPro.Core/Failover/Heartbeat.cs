using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterPro.Failover;

/// <summary>Heartbeat settings.</summary>
public sealed class HeartbeatOptions
{
    /// <summary>The environment variable read for the shared key when <see cref="Key"/> is empty.</summary>
    public const string KeyEnvironmentVariable = "CLUSTERPRO_HEARTBEAT_KEY";

    /// <summary>Time between heartbeats. <value>Default: 1 s.</value></summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence after which a peer is down (half of it makes it suspect). <value>Default: 5 s.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The shared HMAC-SHA256 key (at least 16 characters); empty to read <c>CLUSTERPRO_HEARTBEAT_KEY</c>.</summary>
    public string? Key { get; set; }

    /// <summary>Each node's heartbeat UDP endpoint, e.g. <c>node1 → 10.0.110.100:5405</c>.</summary>
    public IDictionary<string, string> Endpoints { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key bytes: <see cref="Key"/>, else the environment variable.</summary>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidOperationException">No key, or a key shorter than 16 characters.</exception>
    public byte[] ResolveKey()
    {
        var key = string.IsNullOrEmpty(Key) ? Environment.GetEnvironmentVariable(KeyEnvironmentVariable) : Key;
        if (string.IsNullOrEmpty(key) || key.Length < 16)
        {
            throw new InvalidOperationException(
                $"ClusterPro:Heartbeat:Key is {(string.IsNullOrEmpty(key) ? "not set" : "shorter than 16 characters")}; set a shared secret of at least 16 characters in ClusterPro:Heartbeat:Key or the {KeyEnvironmentVariable} environment variable, the same on every node.");
        }

        return Encoding.UTF8.GetBytes(key);
    }
}

/// <summary>A group handed to another node (a monitor's failover request).</summary>
/// <param name="Group">The group.</param>
/// <param name="Target">The node that should activate it.</param>
public sealed record GroupHandoff(string Group, string Target);

/// <summary>One heartbeat.</summary>
/// <param name="Node">The sender.</param>
/// <param name="Incarnation">The sender's start (a new run starts a new sequence).</param>
/// <param name="Sequence">Increases with every heartbeat of one incarnation.</param>
/// <param name="ActiveGroups">The groups active on the sender.</param>
/// <param name="Handoffs">Groups the sender released for another node to take.</param>
public sealed record HeartbeatMessage(string Node, long Incarnation, long Sequence, IReadOnlyList<string> ActiveGroups, IReadOnlyList<GroupHandoff> Handoffs);

/// <summary>Why a packet was dropped.</summary>
public enum HeartbeatRejection
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Malformed, or its HMAC does not match the shared key.</summary>
    Unauthenticated,

    /// <summary>An old or repeated sequence number (a replay).</summary>
    Replayed,

    /// <summary>From a node that is not in the cluster.</summary>
    UnknownNode,
}

/// <summary>Heartbeat wire format: a small JSON payload followed by its HMAC-SHA256 under the shared key.</summary>
public static class HeartbeatCodec
{
    private const int MacLength = 32;

    /// <summary>Encodes and authenticates a heartbeat.</summary>
    /// <param name="message">The heartbeat.</param>
    /// <param name="key">The shared key.</param>
    /// <returns>The packet.</returns>
    public static byte[] Encode(HeartbeatMessage message, byte[] key)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(message, HeartbeatJson.Default.HeartbeatMessage);
        var packet = new byte[payload.Length + MacLength];
        payload.CopyTo(packet, 0);
        HMACSHA256.HashData(key, payload, packet.AsSpan(payload.Length));
        return packet;
    }

    /// <summary>Verifies and decodes a packet.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="key">The shared key.</param>
    /// <param name="message">The heartbeat when authentic.</param>
    /// <returns>True when the HMAC matches and the payload parses.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> packet, byte[] key, out HeartbeatMessage? message)
    {
        message = null;
        if (packet.Length <= MacLength)
        {
            return false;
        }

        var payload = packet[..^MacLength];
        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(key, payload, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, packet[^MacLength..]))
        {
            return false;
        }

        try
        {
            message = JsonSerializer.Deserialize(payload, HeartbeatJson.Default.HeartbeatMessage);
            return message is not null && !string.IsNullOrEmpty(message.Node);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

[JsonSerializable(typeof(HeartbeatMessage))]
internal sealed partial class HeartbeatJson : JsonSerializerContext;

/// <summary>A peer's liveness as this node sees it.</summary>
public enum PeerState
{
    /// <summary>Never heard from.</summary>
    Unknown,

    /// <summary>Heard within half the timeout.</summary>
    Up,

    /// <summary>Silent for more than half the timeout.</summary>
    Suspect,

    /// <summary>Silent for longer than the timeout.</summary>
    Down,
}

/// <summary>
/// Membership from heartbeats: accepts authentic, fresh heartbeats (dropping and counting forged and replayed ones)
/// and judges each peer up / suspect / down by local observation time.
/// </summary>
public sealed class Membership
{
    private readonly HeartbeatOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (long Incarnation, long Sequence, DateTimeOffset At, HeartbeatMessage Last)> _peers = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _nodes;

    /// <summary>Creates membership for <paramref name="self"/>.</summary>
    /// <param name="self">This node.</param>
    /// <param name="nodes">Every cluster node.</param>
    /// <param name="options">Interval and timeout.</param>
    /// <param name="timeProvider">Local observation time.</param>
    public Membership(string self, IEnumerable<string> nodes, HeartbeatOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Self = self;
        _nodes = new HashSet<string>(nodes, StringComparer.OrdinalIgnoreCase);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>This node.</summary>
    public string Self { get; }

    /// <summary>Packets dropped as forged or malformed.</summary>
    public long Unauthenticated { get; private set; }

    /// <summary>Packets dropped as replays.</summary>
    public long Replayed { get; private set; }

    /// <summary>Accepts a heartbeat unless it is a replay or from an unknown node.</summary>
    /// <param name="message">The authenticated heartbeat.</param>
    /// <returns>Why it was dropped, or <see cref="HeartbeatRejection.None"/>.</returns>
    public HeartbeatRejection Accept(HeartbeatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_peers)
        {
            if (!_nodes.Contains(message.Node) || string.Equals(message.Node, Self, StringComparison.OrdinalIgnoreCase))
            {
                Unauthenticated++;
                return HeartbeatRejection.UnknownNode;
            }

            if (_peers.TryGetValue(message.Node, out var last) &&
                (message.Incarnation < last.Incarnation || (message.Incarnation == last.Incarnation && message.Sequence <= last.Sequence)))
            {
                Replayed++;
                return HeartbeatRejection.Replayed;
            }

            _peers[message.Node] = (message.Incarnation, message.Sequence, _time.GetUtcNow(), message);
            return HeartbeatRejection.None;
        }
    }

    /// <summary>Counts a packet that failed authentication.</summary>
    public void CountUnauthenticated()
    {
        lock (_peers)
        {
            Unauthenticated++;
        }
    }

    /// <summary>A peer's state now.</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>Its state.</returns>
    public PeerState State(string peer)
    {
        lock (_peers)
        {
            if (!_peers.TryGetValue(peer, out var last))
            {
                return PeerState.Unknown;
            }

            var silence = _time.GetUtcNow() - last.At;
            return silence > _options.Timeout ? PeerState.Down : silence > _options.Timeout / 2 ? PeerState.Suspect : PeerState.Up;
        }
    }

    /// <summary>The peers currently up or suspect (heard within the timeout).</summary>
    public IReadOnlyList<string> Alive
    {
        get
        {
            lock (_peers)
            {
                return _nodes.Where(n => !string.Equals(n, Self, StringComparison.OrdinalIgnoreCase) && State(n) is PeerState.Up or PeerState.Suspect).ToList();
            }
        }
    }

    /// <summary>The last heartbeat from a peer.</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>The heartbeat, or null.</returns>
    public HeartbeatMessage? Last(string peer)
    {
        lock (_peers)
        {
            return _peers.TryGetValue(peer, out var last) ? last.Last : null;
        }
    }
}

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

/// <summary>Heartbeats over UDP: this node listens on its endpoint and sends to each peer's.</summary>
public sealed class UdpHeartbeatTransport : IHeartbeatTransport
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
    public async Task<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                var result = await _udp.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                return result.Buffer;
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
