using System.Globalization;

namespace ClusterPro.Applications.Tcp;

/// <summary>Reads <c>host:port</c>.</summary>
internal static class TcpAddress
{
    /// <summary>The host and port, or null when <paramref name="address"/> is not <c>host:port</c> with a port from 1 to 65535.</summary>
    public static (string Host, int Port)? Parse(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return null;
        }

        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return null;
        }

        var host = address[..colon].Trim();
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        if (bracketed)
        {
            host = host[1..^1];
        }

        // An IPv6 address is written in brackets ([::1]:5432), so that its last ':' is not taken for the port's.
        var v6 = host.Contains(':', StringComparison.Ordinal);
        return host.Length == 0 || v6 != bracketed || (v6 && !System.Net.IPAddress.TryParse(host, out _)) ? null : (host, port);
    }
}
