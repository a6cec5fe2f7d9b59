using System.Globalization;
using System.Net.Http.Headers;

namespace ClusterPro.Aws.Discovery;

/// <summary>What an EC2 instance knows about itself (from IMDSv2).</summary>
/// <param name="InstanceId">The instance ID.</param>
/// <param name="AvailabilityZone">Its zone.</param>
/// <param name="Region">Its region.</param>
/// <param name="PrivateIp">Its primary private IP.</param>
/// <param name="Mac">Its primary interface's MAC.</param>
/// <param name="NetworkInterfaceId">Its primary ENI.</param>
public sealed record InstanceIdentity(string InstanceId, string AvailabilityZone, string Region, string PrivateIp, string Mac, string NetworkInterfaceId);

/// <summary>Node self-discovery: the instance's identity from its instance metadata service.</summary>
public interface IInstanceMetadataClient
{
    /// <summary>Reads the instance's identity.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The identity.</returns>
    Task<InstanceIdentity> GetIdentityAsync(CancellationToken cancellationToken = default);
}

/// <summary>Settings of <see cref="InstanceMetadataClient"/>.</summary>
public sealed class InstanceMetadataOptions
{
    /// <summary>The IMDS endpoint. <value>Default: <c>http://169.254.169.254/</c>.</value></summary>
    public Uri Endpoint { get; set; } = new("http://169.254.169.254/");

    /// <summary>Bound on each metadata request. <value>Default: 2 s.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Lifetime asked for the session token; it is reused until a minute before it expires. <value>Default: 6 h.</value></summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Attempts per request (slow metadata at boot is common). <value>Default: 3.</value></summary>
    public int Attempts { get; set; } = 3;
}

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
        Exception? last = null;
        for (var attempt = 1; attempt <= Math.Max(1, _options.Attempts); attempt++)
        {
            try
            {
                var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_options.Endpoint, path));
                request.Headers.Add("X-aws-ec2-metadata-token", token);
                using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                {
                    _token = null;
                    last = new InvalidOperationException("The instance metadata service rejected the session token (401).");
                    continue;
                }

                response.EnsureSuccessStatusCode();
                return (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = ex;
            }
        }

        throw new InvalidOperationException(
            $"The instance metadata service at {_options.Endpoint} did not answer '{path}' after {_options.Attempts} attempts ({last?.Message}). Check that this is an EC2 instance with IMDSv2 enabled, or set the node's IDs explicitly.",
            last);
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

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ClusterPro", "1.0"));
        return await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
    }
}
