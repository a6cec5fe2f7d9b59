using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterPro.Failover;

/// <summary>Heartbeat wire format: a small JSON payload followed by its HMAC-SHA256 under the shared key.</summary>
internal static class HeartbeatCodec
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
            return message is not null && !string.IsNullOrEmpty(message.Node) && message.Sees is not null && message.Claims is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

[JsonSerializable(typeof(HeartbeatMessage))]
internal sealed partial class HeartbeatJson : JsonSerializerContext;
