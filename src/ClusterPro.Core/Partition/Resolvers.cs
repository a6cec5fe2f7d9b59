using System.Net;
using System.Net.NetworkInformation;

namespace ClusterPro.Partition;

/// <summary>Settings of the HTTP NP resolver (the source's: HEAD to aws.amazon.com:443 over TLS; 200 means reachable).</summary>
public sealed class HttpPartitionResolverOptions
{
    /// <summary>The target host. <value>Default: <c>aws.amazon.com</c>.</value></summary>
    public string Host { get; set; } = "aws.amazon.com";

    /// <summary>The port. <value>Default: 443.</value></summary>
    public int Port { get; set; } = 443;

    /// <summary>Use TLS. <value>Default: true.</value></summary>
    public bool UseTls { get; set; } = true;

    /// <summary>The path. <value>Default: <c>/</c>.</value></summary>
    public string Path { get; set; } = "/";

    /// <summary>Bound on one probe. <value>Default: 10 s.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The URL probed.</summary>
    public Uri Url => new($"{(UseTls ? "https" : "http")}://{Host}:{Port}{(Path.StartsWith('/') ? Path : "/" + Path)}");
}

/// <summary>HTTP NP resolution: a HEAD request answered with status 200 means reachable; anything else, or no answer in time, unreachable.</summary>
public sealed class HttpNetworkPartitionResolver : INetworkPartitionResolver
{
    /// <summary>The name of the <c>IHttpClientFactory</c> client the resolvers take (configure proxies on it).</summary>
    public const string HttpClientName = "ClusterPro.Partition";

    private readonly HttpClient _http;
    private readonly HttpPartitionResolverOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the resolver.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="http">The HTTP client (from <c>IHttpClientFactory</c>, named <see cref="HttpClientName"/>).</param>
    /// <param name="options">Target and timeout.</param>
    /// <param name="timeProvider">Time for the timeout.</param>
    public HttpNetworkPartitionResolver(string name, HttpClient http, HttpPartitionResolverOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _http = http;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<PartitionProbeResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Head, _options.Url);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK
                ? new PartitionProbeResult(Name, PartitionProbeStatus.Reachable, $"HEAD {_options.Url} answered 200.")
                : new PartitionProbeResult(Name, PartitionProbeStatus.Unreachable, $"HEAD {_options.Url} answered {(int)response.StatusCode}.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return new PartitionProbeResult(Name, PartitionProbeStatus.Unreachable, $"HEAD {_options.Url} gave no answer within {_options.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException ex)
        {
            return new PartitionProbeResult(Name, PartitionProbeStatus.Unreachable, $"HEAD {_options.Url} failed: {ex.Message}");
        }
    }
}

/// <summary>Ping NP resolution: ICMP echo to a list of addresses; reachable when any answers.</summary>
public sealed class PingNetworkPartitionResolver : INetworkPartitionResolver
{
    private readonly IReadOnlyList<string> _targets;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the resolver.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="targets">Addresses or host names.</param>
    /// <param name="timeout">Bound on each echo.</param>
    public PingNetworkPartitionResolver(string name, IReadOnlyList<string> targets, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(targets);
        Name = name;
        _targets = targets;
        _timeout = timeout;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<PartitionProbeResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();
        foreach (var target in _targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                using var ping = new Ping();
                var reply = await ping.SendPingAsync(target, _timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (reply.Status == IPStatus.Success)
                {
                    return new PartitionProbeResult(Name, PartitionProbeStatus.Reachable, $"{target} answered in {reply.RoundtripTime} ms.");
                }

                failures.Add($"{target}: {reply.Status}");
            }
            catch (PingException ex)
            {
                failures.Add($"{target}: {ex.InnerException?.Message ?? ex.Message}");
            }
        }

        return new PartitionProbeResult(Name, PartitionProbeStatus.Unreachable, $"No ping target answered ({string.Join("; ", failures)}).");
    }
}
