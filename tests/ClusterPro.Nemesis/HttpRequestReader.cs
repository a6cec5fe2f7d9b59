using System.Text;

namespace ClusterPro.Nemesis;

/// <summary>
/// Reads whole HTTP/1.1 requests (head and Content-Length body) off a client connection as raw bytes, so that a proxy
/// can forward them byte for byte (the SigV4 signature covers the host, headers and body) after deciding what to do with
/// each. Enough for the AWS SDK's requests: no chunked request bodies, no pipelining.
/// </summary>
internal sealed class HttpRequestReader(Stream stream)
{
    private const int MaxHead = 64 * 1024;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private readonly MemoryStream _pending = new();

    /// <summary>The next request, or null when the client closed the connection (or sent something that is not a request).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The request.</returns>
    public async Task<HttpRequestBytes?> ReadAsync(CancellationToken cancellationToken)
    {
        int headEnd;
        while ((headEnd = HeadEnd()) < 0)
        {
            if (_pending.Length > MaxHead || !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        var all = _pending.GetBuffer();
        var head = Encoding.ASCII.GetString(all, 0, headEnd);
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length < 3)
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        if (headers.ContainsKey("Transfer-Encoding"))
        {
            return null;
        }

        var length = headers.TryGetValue("Content-Length", out var text) && long.TryParse(text, out var n) ? n : 0;
        var total = headEnd + 4 + length;
        while (_pending.Length < total)
        {
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }

        all = _pending.GetBuffer();
        var raw = all.AsSpan(0, (int)total).ToArray();
        var body = Encoding.UTF8.GetString(all, headEnd + 4, (int)length);
        var rest = all.AsSpan((int)total, (int)(_pending.Length - total)).ToArray();
        _pending.SetLength(0);
        _pending.Write(rest);
        return new HttpRequestBytes(requestLine[0], requestLine[1], headers, body, raw);
    }

    private int HeadEnd()
    {
        var all = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
        return all.IndexOf("\r\n\r\n"u8);
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        var read = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        if (read <= 0)
        {
            return false;
        }

        _pending.Write(_buffer, 0, read);
        return true;
    }
}
