using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>
/// Requests signed by hand (SigV4 written out step by step from AWS's documentation), so a test can choose what a
/// real SDK never sends: another time, scope, path encoding, or a body swapped after signing.
/// </summary>
internal sealed class RawAws(AwsEmulator emulator) : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    /// <summary>What to sign and send.</summary>
    public sealed record Call(string Method, string Service, string Region)
    {
        public string Path { get; init; } = "/";

        /// <summary>The path exactly as signed in the canonical request; by default each segment encoded twice (as AWS services other than S3 expect).</summary>
        public string? CanonicalPath { get; init; }

        public string Query { get; init; } = string.Empty;

        public string Body { get; init; } = string.Empty;

        public string? SentBody { get; init; }

        public string ContentType { get; init; } = "application/x-www-form-urlencoded; charset=utf-8";

        public DateTimeOffset? SignedAt { get; init; }

        public string? AccessKey { get; init; }

        public bool SignContentHash { get; init; }

        public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    }

    public static Call Ec2(string form) => new("POST", "ec2", "ap-northeast-1") { Body = form + "&Version=2016-11-15" };

    public async Task<(int Status, string Body)> SendAsync(Call call)
    {
        var at = (call.SignedAt ?? TimeProvider.System.GetUtcNow()).UtcDateTime;
        var amzDate = at.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = emulator.Endpoint.Authority;
        var bodyHash = Hex(SHA256.HashData(Encoding.UTF8.GetBytes(call.Body)));
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-date"] = amzDate,
        };
        if (call.Body.Length > 0)
        {
            headers["content-type"] = call.ContentType;
        }

        if (call.SignContentHash)
        {
            headers["x-amz-content-sha256"] = bodyHash;
        }

        foreach (var (k, v) in call.Headers)
        {
            headers[k.ToLowerInvariant()] = v;
        }

        var canonicalPath = call.CanonicalPath ?? string.Join('/', call.Path.Split('/').Select(s => Encode(Encode(Uri.UnescapeDataString(s)))));
        var canonicalQuery = string.Join('&', call.Query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => (K: Encode(Uri.UnescapeDataString(p[0])), V: Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty))))
            .OrderBy(p => p.K, StringComparer.Ordinal).ThenBy(p => p.V, StringComparer.Ordinal).Select(p => $"{p.K}={p.V}"));
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = string.Join('\n', call.Method, canonicalPath, canonicalQuery, string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n")), signedHeaders, bodyHash);
        var scope = $"{date}/{call.Region}/{call.Service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + emulator.SecretAccessKey), date);
        key = Hmac(key, call.Region);
        key = Hmac(key, call.Service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, toSign));

        using var message = new HttpRequestMessage(new HttpMethod(call.Method), new Uri(emulator.Endpoint, call.Path + (call.Query.Length > 0 ? "?" + call.Query : string.Empty)));
        var sent = call.SentBody ?? call.Body;
        if (call.Body.Length > 0 || call.SentBody is not null)
        {
            message.Content = new StringContent(sent, Encoding.UTF8);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(call.ContentType);
        }

        foreach (var (k, v) in headers.Where(h => h.Key is not ("host" or "content-type")))
        {
            message.Headers.TryAddWithoutValidation(k, v);
        }

        message.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={call.AccessKey ?? emulator.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
        using var response = await _http.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Encode(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            sb.Append(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~' ? c.ToString() : "%" + b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
