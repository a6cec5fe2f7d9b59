using System.Text.Json;
using System.Text.Json.Serialization;
using ClusterPro.Failover;

namespace ClusterPro.Control;

/// <summary>
/// Control-channel wire format, on the heartbeat port: the marker <c>C1</c>, a JSON envelope (a request or a response),
/// then its HMAC-SHA256 under the cluster's heartbeat key — the same authentication as heartbeats (a heartbeat's
/// payload starts with <c>{</c>, so the two never mix).
/// </summary>
internal static class ControlCodec
{
    /// <summary>The largest packet a node sends: a UDP datagram's payload.</summary>
    public const int MaxPacket = 65_000;

    private static readonly byte[] Marker = "C1"u8.ToArray();

    /// <summary>Whether a packet is a control packet (not yet authenticated).</summary>
    /// <param name="packet">The packet.</param>
    /// <returns>True when it carries the marker.</returns>
    public static bool IsControl(ReadOnlySpan<byte> packet) => packet.StartsWith(Marker);

    /// <summary>Encodes and authenticates a request.</summary>
    /// <param name="request">The request.</param>
    /// <param name="key">The shared key.</param>
    /// <returns>The packet.</returns>
    public static byte[] Encode(ControlRequest request, byte[] key) => Encode(new ControlEnvelope(request, null), key);

    /// <summary>Encodes and authenticates a response.</summary>
    /// <param name="response">The response.</param>
    /// <param name="key">The shared key.</param>
    /// <returns>The packet.</returns>
    public static byte[] Encode(ControlResponse response, byte[] key) => Encode(new ControlEnvelope(null, response), key);

    /// <summary>Verifies and decodes a control packet.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="key">The shared key.</param>
    /// <param name="envelope">The envelope when authentic and well formed.</param>
    /// <returns>True when the HMAC matches and the payload parses.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> packet, byte[] key, out ControlEnvelope? envelope)
    {
        envelope = null;
        if (!IsControl(packet) || !SignedPacket.TryOpen(packet, key, out var payload))
        {
            return false;
        }

        try
        {
            envelope = JsonSerializer.Deserialize(payload[Marker.Length..], ControlJson.Default.ControlEnvelope);
            return envelope is { Request: { Id.Length: > 0 } } or { Response: { Id.Length: > 0 } };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[] Encode(ControlEnvelope envelope, byte[] key)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(envelope, ControlJson.Default.ControlEnvelope);
        var payload = new byte[Marker.Length + json.Length];
        Marker.CopyTo(payload, 0);
        json.CopyTo(payload, Marker.Length);
        return SignedPacket.Seal(payload, key);
    }
}

/// <summary>A request or a response.</summary>
/// <param name="Request">The request, or null.</param>
/// <param name="Response">The response, or null.</param>
internal sealed record ControlEnvelope(ControlRequest? Request, ControlResponse? Response);

/// <summary>The control channel's JSON: enums as names, so that the tool's <c>--output json</c> and the wire read alike.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ControlEnvelope))]
[JsonSerializable(typeof(NodeReport))]
internal sealed partial class ControlJson : JsonSerializerContext;
