using System.Security.Cryptography;

namespace ClusterPro.Failover;

/// <summary>The cluster's packets on the wire: a payload followed by its HMAC-SHA256 under the shared key.</summary>
internal static class SignedPacket
{
    private const int MacLength = 32;

    /// <summary>Appends the payload's HMAC.</summary>
    /// <param name="payload">The payload.</param>
    /// <param name="key">The shared key.</param>
    /// <returns>The packet.</returns>
    public static byte[] Seal(ReadOnlySpan<byte> payload, byte[] key)
    {
        var packet = new byte[payload.Length + MacLength];
        payload.CopyTo(packet);
        HMACSHA256.HashData(key, payload, packet.AsSpan(payload.Length));
        return packet;
    }

    /// <summary>Checks a packet's HMAC.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="key">The shared key.</param>
    /// <param name="payload">The payload when authentic.</param>
    /// <returns>True when the HMAC matches.</returns>
    public static bool TryOpen(ReadOnlySpan<byte> packet, byte[] key, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (packet.Length <= MacLength)
        {
            return false;
        }

        var body = packet[..^MacLength];
        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(key, body, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, packet[^MacLength..]))
        {
            return false;
        }

        payload = body;
        return true;
    }
}
