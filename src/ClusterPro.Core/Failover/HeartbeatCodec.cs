using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClusterPro.Failover;

/// <summary>Heartbeat wire format: a small JSON payload followed by its HMAC-SHA256 under the shared key (<see cref="SignedPacket"/>).</summary>
internal static class HeartbeatCodec
{
    /// <summary>Encodes and authenticates a heartbeat.</summary>
    /// <param name="message">The heartbeat.</param>
    /// <param name="key">The shared key.</param>
    /// <returns>The packet.</returns>
    public static byte[] Encode(HeartbeatMessage message, byte[] key) =>
        SignedPacket.Seal(JsonSerializer.SerializeToUtf8Bytes(message, HeartbeatJson.Default.HeartbeatMessage), key);

    /// <summary>Verifies and decodes a packet.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="key">The shared key.</param>
    /// <param name="message">The heartbeat when authentic.</param>
    /// <returns>True when the HMAC matches and the payload parses.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> packet, byte[] key, out HeartbeatMessage? message)
    {
        message = null;
        if (!SignedPacket.TryOpen(packet, key, out var payload))
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
