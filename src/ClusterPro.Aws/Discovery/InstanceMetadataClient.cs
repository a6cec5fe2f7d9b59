using System.Globalization;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ClusterPro.Aws.Discovery;

/// <summary>
/// IMDSv2 over <see cref="HttpClient"/> with its own endpoint (unlike AWSSDK.Core's process-wide
/// <c>EC2InstanceMetadata</c>, so two simulated nodes can run in one process). The session token is kept in
/// memory only and reused until shortly before it expires.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim holds no unmanaged handle unless AvailableWaitHandle is used, which it never is here.")]
public sealed class InstanceMetadataClient : IInstanceMetadataClient
{
    private readonly HttpClient _http;
    private readonly InstanceMetadataOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private readonly ResiliencePipeline _pipeline;
    private string? _token;
    private DateTimeOffset _tokenExpiry;

    /// <summary>Creates the client.</summary>
    /// <param name="http">The HTTP client (no proxy should apply to IMDS).</param>
    /// <param name="options">Endpoint and timeouts.</param>
    /// <param name="timeProvider">Time source.</param>
    public InstanceMetadataClient(HttpClient http, InstanceMetadataOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;

        // Each attempt (token and read) is bounded by Timeout; failed attempts are retried at once (slow metadata at boot).
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (options.Attempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = options.Attempts - 1,
                Delay = TimeSpan.Zero,
            });
        }

        _pipeline = builder.AddTimeout(options.Timeout).Build();
    }

    /// <inheritdoc />
    public async Task<InstanceIdentity> GetIdentityAsync(CancellationToken cancellationToken = default)
    {
        var instanceId = await GetAsync("latest/meta-data/instance-id", cancellationToken).ConfigureAwait(false);
        var zone = await GetAsync("latest/meta-data/placement/availability-zone", cancellationToken).ConfigureAwait(false);
        var region = await GetAsync("latest/meta-data/placement/region", cancellationToken).ConfigureAwait(false);
        var ip = await GetAsync("latest/meta-data/local-ipv4", cancellationToken).ConfigureAwait(false);
        var mac = await GetAsync("latest/meta-data/mac", cancellationToken).ConfigureAwait(false);
        var eni = await GetAsync($"latest/meta-data/network/interfaces/macs/{mac}/interface-id", cancellationToken).ConfigureAwait(false);
        return new InstanceIdentity(instanceId, zone, region, ip, mac, eni);
    }

    /// <summary>Reads one metadata path (e.g. <c>latest/meta-data/instance-id</c>).</summary>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The value, trimmed.</returns>
    public async Task<string> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                async ct =>
                {
                    var token = await TokenAsync(ct).ConfigureAwait(false);
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.Endpoint, path));
                    request.Headers.Add("X-aws-ec2-metadata-token", token);
                    using var response = await SendAsync(request, ct).ConfigureAwait(false);
                    if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                    {
                        _token = null;
                        throw new HttpRequestException("The instance metadata service rejected the session token (401).", null, response.StatusCode);
                    }

                    response.EnsureSuccessStatusCode();
                    return (await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).Trim();
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            throw new InvalidOperationException(
                $"The instance metadata service at {_options.Endpoint} did not answer '{path}' after {Math.Max(1, _options.Attempts)} attempts ({ex.Message}). Check that this is an EC2 instance with IMDSv2 enabled, or set the node's IDs explicitly.",
                ex);
        }
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token is not null && _time.GetUtcNow() < _tokenExpiry)
        {
            return _token;
        }

        await _tokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is not null && _time.GetUtcNow() < _tokenExpiry)
            {
                return _token;
            }

            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_options.Endpoint, "latest/api/token"));
            request.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", ((int)_options.TokenLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            _token = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            _tokenExpiry = _time.GetUtcNow() + _options.TokenLifetime - TimeSpan.FromMinutes(1);
            return _token;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ClusterPro", "1.0"));
        return _http.SendAsync(request, cancellationToken);
    }
}
