using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ClusterPro.Aws.Testing.Auth;

/// <summary>The parts of a request that Signature Version 4 covers.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="RawPath">The path as sent on the wire (still percent-encoded).</param>
/// <param name="RawQuery">The query string as sent, without the leading '?'.</param>
/// <param name="Headers">Header name → values (names compared case-insensitively).</param>
/// <param name="Body">The body.</param>
internal sealed record SignedRequest(string Method, string RawPath, string RawQuery, IReadOnlyDictionary<string, IReadOnlyList<string>> Headers, ReadOnlyMemory<byte> Body);

/// <summary>What the Authorization header (or presigned query) claims.</summary>
internal sealed record SigV4Claim(string AccessKeyId, string Date, string Region, string Service, IReadOnlyList<string> SignedHeaders, string Signature, string AmzDate, bool Presigned);

/// <summary>
/// Server-side Signature Version 4 verification: rebuilds the canonical request and the signature
/// from the request and the secret key, and compares. Tested against AWS's published test suite.
/// </summary>
internal static class SigV4
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    public static SigV4Claim? ParseClaim(SignedRequest request)
    {
        var authorization = Header(request, "authorization");
        if (authorization is not null && authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            var parts = authorization[(Algorithm.Length + 1)..]
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
            if (!parts.TryGetValue("Credential", out var credential) || !parts.TryGetValue("SignedHeaders", out var signed) || !parts.TryGetValue("Signature", out var signature))
            {
                return null;
            }

            var amzDate = Header(request, "x-amz-date") ?? string.Empty;
            return FromCredential(credential, signed, signature, amzDate, presigned: false);
        }

        var query = ParseQuery(request.RawQuery);
        var q = query.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (q.TryGetValue("X-Amz-Algorithm", out var alg) && alg == Algorithm &&
            q.TryGetValue("X-Amz-Credential", out var cred) && q.TryGetValue("X-Amz-SignedHeaders", out var sh) &&
            q.TryGetValue("X-Amz-Signature", out var sig) && q.TryGetValue("X-Amz-Date", out var date))
        {
            return FromCredential(cred, sh, sig, date, presigned: true);
        }

        return null;
    }

    /// <summary>
    /// Whether the request's signature matches one computed with <paramref name="secretKey"/>. The canonical
    /// request has one form: the payload hash is computed from the body (never taken from a header) and the path
    /// is normalized and encoded twice, as every AWS service but S3 does. AWS's test suite states its own path form.
    /// </summary>
    public static bool Verify(SignedRequest request, SigV4Claim claim, string secretKey, bool normalizePath = true, bool doubleEncodePath = true)
    {
        var canonical = Canonical(request, claim, CanonicalPath(request.RawPath, normalizePath, doubleEncodePath));
        var expected = Signature(canonical, claim, secretKey);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(claim.Signature));
    }

    /// <summary>The SHA-256 of the body, hex.</summary>
    public static string PayloadHash(SignedRequest request) => Hex(SHA256.HashData(request.Body.Span));

    /// <summary>The <c>X-Amz-Content-SHA256</c> header when it differs from the body's hash (a body changed after signing), else null.</summary>
    public static string? PayloadHashMismatch(SignedRequest request) =>
        Header(request, "x-amz-content-sha256") is { } claimed && !string.Equals(claimed, PayloadHash(request), StringComparison.OrdinalIgnoreCase) ? claimed : null;

    /// <summary>The request's signing time (<c>X-Amz-Date</c>), or null when it is missing or malformed.</summary>
    public static DateTimeOffset? SigningTime(SigV4Claim claim) =>
        DateTimeOffset.TryParseExact(claim.AmzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    /// <summary>The canonical request, with the path normalized and encoded once (the test suite's form).</summary>
    public static string CanonicalRequest(SignedRequest request, SigV4Claim claim) =>
        Canonical(request, claim, CanonicalPath(request.RawPath, normalize: true, doubleEncode: false));

    public static string StringToSign(string canonicalRequest, SigV4Claim claim) =>
        $"{Algorithm}\n{claim.AmzDate}\n{claim.Date}/{claim.Region}/{claim.Service}/aws4_request\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    public static string Signature(string canonicalRequest, SigV4Claim claim, string secretKey)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), claim.Date);
        key = Hmac(key, claim.Region);
        key = Hmac(key, claim.Service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, StringToSign(canonicalRequest, claim)));
    }

    private static string Canonical(SignedRequest request, SigV4Claim claim, string canonicalPath)
    {
        var query = ParseQuery(request.RawQuery)
            .Where(p => !(claim.Presigned && p.Key == "X-Amz-Signature"))
            .Select(p => (Key: Encode(p.Key), Value: Encode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}");
        var headers = new StringBuilder();
        foreach (var name in claim.SignedHeaders)
        {
            var values = request.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value ?? [];
            headers.Append(name).Append(':').Append(string.Join(',', values.Select(TrimAll))).Append('\n');
        }

        var payloadHash = PayloadHash(request);
        return string.Join('\n', request.Method, canonicalPath, string.Join('&', query), headers.ToString(), string.Join(';', claim.SignedHeaders), payloadHash);
    }

    internal static string CanonicalPath(string rawPath, bool normalize, bool doubleEncode)
    {
        var path = string.IsNullOrEmpty(rawPath) ? "/" : rawPath;
        var segments = path.Split('/').Select(Uri.UnescapeDataString).ToList();
        if (normalize)
        {
            var output = new List<string>();
            for (var i = 0; i < segments.Count; i++)
            {
                var s = segments[i];
                var last = i == segments.Count - 1;
                if (s == "." || (s.Length == 0 && !last && i != 0))
                {
                    continue;
                }

                if (s == "..")
                {
                    if (output.Count > 1)
                    {
                        output.RemoveAt(output.Count - 1);
                    }

                    continue;
                }

                output.Add(s);
            }

            if (output.Count == 0 || output[0].Length != 0)
            {
                output.Insert(0, string.Empty);
            }

            if (output.Count == 1 || (segments[^1] is "." or ".." && output[^1].Length != 0))
            {
                output.Add(string.Empty);
            }

            segments = output;
        }

        var encoded = string.Join('/', segments.Select(s => doubleEncode ? Encode(Encode(s)) : Encode(s)));
        return encoded.Length == 0 ? "/" : encoded;
    }

    internal static List<KeyValuePair<string, string>> ParseQuery(string rawQuery)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = part.Split('=', 2);
            result.Add(new(Uri.UnescapeDataString(kv[0]), kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty));
        }

        return result;
    }

    /// <summary>RFC 3986 encoding: unreserved characters stay, everything else is %XX of its UTF-8 bytes.</summary>
    internal static string Encode(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static SigV4Claim? FromCredential(string credential, string signedHeaders, string signature, string amzDate, bool presigned)
    {
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            return null;
        }

        return new SigV4Claim(scope[0], scope[1], scope[2], scope[3], signedHeaders.Split(';'), signature, amzDate, presigned);
    }

    private static string? Header(SignedRequest request, string name) =>
        request.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value is { Count: > 0 } v ? string.Join(',', v) : null;

    private static string TrimAll(string value) => string.Join(' ', value.Split([' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
