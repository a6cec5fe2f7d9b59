using System.Text.RegularExpressions;
using ClusterPro.Monitoring;

namespace ClusterPro.Applications.Http;

/// <summary>
/// One GET per check: no answer is error 7, an unexpected status error 8, a body that does not match error 9. The
/// runner's timeout cancels the request.
/// </summary>
internal sealed class HttpMonitor(string name, HttpMonitorOptions options, HttpClient client) : IMonitorResource
{
    /// <summary>How much of the body is matched.</summary>
    private const int MaxBody = 1 << 20;

    private readonly Regex? _body = options.BodyMatch is { Length: > 0 } pattern ? new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null;

    public string Name { get; } = name;

    public async Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var url = new Uri(options.Url.ResolveRequired(context.NodeName, "Url"));
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var expected = options.ExpectedStatus.Count == 0 ? status is >= 200 and < 300 : options.ExpectedStatus.Contains(status);
            if (!expected)
            {
                var want = options.ExpectedStatus.Count == 0 ? "a 2xx status" : string.Join(" or ", options.ExpectedStatus);
                return MonitorResult.Error(ApplicationResultCodes.HttpStatus, $"GET {url} answered {status} {response.ReasonPhrase}; expected {want}.");
            }

            if (_body is not null)
            {
                var body = await ReadAsync(response, cancellationToken).ConfigureAwait(false);
                if (!Matches(body))
                {
                    return MonitorResult.Error(ApplicationResultCodes.HttpBody, $"GET {url} answered {status}, but its body does not match {options.BodyMatch}.");
                }
            }

            return MonitorResult.Normal($"GET {url} answered {status}.");
        }
        catch (HttpRequestException ex)
        {
            return MonitorResult.Error(ApplicationResultCodes.ConnectFailed, $"GET {url} failed: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return MonitorResult.Error(ApplicationResultCodes.ConnectFailed, $"GET {url} failed: the HTTP client timed out.");
        }
    }

    private bool Matches(string body)
    {
        try
        {
            return _body!.IsMatch(body);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBody];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
            {
                read += n;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
    }
}
