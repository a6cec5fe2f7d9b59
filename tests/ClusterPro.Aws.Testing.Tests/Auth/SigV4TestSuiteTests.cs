using System.Text;
using System.Text.Json;
using ClusterPro.Aws.Testing.Auth;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>The emulator's signature verifier against AWS's published SigV4 test suite (../shared/testdata).</summary>
public class SigV4TestSuiteTests
{
    private static readonly string Suite = FindSuite();

    internal static string SuitePath => Suite;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Suite).Order(StringComparer.Ordinal))
        {
            if (File.Exists(Path.Combine(dir, "header-signed-request.txt")))
            {
                data.Add(Path.GetFileName(dir));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verify_PublishedHeaderSignedRequest_Accepts_AndRebuildsTheCanonicalRequest(string name)
    {
        var dir = Path.Combine(Suite, name);
        using var context = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "context.json")));
        var secret = context.RootElement.GetProperty("credentials").GetProperty("secret_access_key").GetString()!;
        var normalize = context.RootElement.GetProperty("normalize").GetBoolean();
        var request = ParseRequest(File.ReadAllText(Path.Combine(dir, "header-signed-request.txt")));
        var claim = SigV4.ParseClaim(request)!;

        // The suite's paths are written decoded and state whether they are normalized; they are encoded once.
        var verified = SigV4.Verify(request, claim, secret, normalize, doubleEncodePath: false);
        var tampered = SigV4.Verify(request with { Method = request.Method == "GET" ? "POST" : "GET" }, claim, secret, normalize, doubleEncodePath: false);

        verified.Should().BeTrue();
        tampered.Should().BeFalse("a changed request no longer matches its signature");
        if (normalize)
        {
            SigV4.CanonicalRequest(request, claim).Should().Be(File.ReadAllText(Path.Combine(dir, "header-canonical-request.txt")).ReplaceLineEndings("\n"));
        }
    }

    [Fact]
    public void Verify_WrongSecret_Rejects()
    {
        var request = ParseRequest(File.ReadAllText(Path.Combine(Suite, "get-vanilla", "header-signed-request.txt")));

        SigV4.Verify(request, SigV4.ParseClaim(request)!, "not-the-secret").Should().BeFalse();
    }

    internal static SignedRequest ParseRequest(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var first = lines[0].Split(' ');
        var target = string.Join(' ', first[1..^1]);
        var q = target.IndexOf('?', StringComparison.Ordinal);
        var headers = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        var i = 1;
        for (; i < lines.Length && lines[i].Length > 0; i++)
        {
            var line = lines[i];
            if (char.IsWhiteSpace(line[0]) && last is not null)
            {
                headers[last][^1] += " " + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            last = line[..colon];
            if (!headers.TryGetValue(last, out var values))
            {
                values = [];
                headers[last] = values;
            }

            values.Add(line[(colon + 1)..]);
        }

        var body = string.Join('\n', lines.Skip(i + 1));
        return new SignedRequest(
            first[0],
            q < 0 ? target : target[..q],
            q < 0 ? string.Empty : target[(q + 1)..],
            headers.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value, StringComparer.OrdinalIgnoreCase),
            Encoding.UTF8.GetBytes(body));
    }

    private static string FindSuite()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "testdata", "aws-sigv4-test-suite");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("AWS's SigV4 test suite was not found: it is expected at ../shared/testdata/aws-sigv4-test-suite beside the repository.");
    }
}
