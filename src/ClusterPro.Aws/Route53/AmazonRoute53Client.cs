using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using Polly;
using Polly.Retry;

namespace ClusterPro.Aws.Route53;

/// <summary>
/// A small Route 53 REST-XML client over <see cref="HttpClient"/>, signed with AWSSDK.Core's SigV4 signer and
/// credentials (the SDK's default chain: environment, profile, instance role over IMDSv2, unless given), retrying
/// throttling (<c>Throttling</c>, <c>PriorRequestNotComplete</c>), 5xx and network errors with a Polly retry
/// (exponential backoff with jitter, as the AWS SDK's standard mode). Errors become <see cref="AmazonRoute53Exception"/>s
/// carrying AWS's error code.
/// </summary>
internal sealed class AmazonRoute53Client : IAmazonRoute53
{
    private const string Version = "2013-04-01";
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static readonly HashSet<string> Retryable = new(StringComparer.Ordinal) { "Throttling", "ThrottlingException", "PriorRequestNotComplete", "RequestThrottled", "ServiceUnavailable", "InternalFailure", "InternalError" };
    private readonly HttpClient _http;
    private readonly AmazonRoute53Config _config;
    private readonly TimeProvider _time;
    private readonly Lazy<AWSCredentials> _credentials;
    private readonly ResiliencePipeline _retry;

    /// <summary>Creates the client.</summary>
    /// <param name="http">The HTTP client (from <c>IHttpClientFactory</c> in DI).</param>
    /// <param name="config">Endpoint, signing region and retries.</param>
    /// <param name="credentials">Credentials, or null for the SDK's default chain (resolved at the first call).</param>
    /// <param name="timeProvider">Time for retry delays.</param>
    public AmazonRoute53Client(HttpClient http, AmazonRoute53Config config, AWSCredentials? credentials = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(config);
        _http = http;
        _config = config;
        _time = timeProvider ?? TimeProvider.System;
        _credentials = new Lazy<AWSCredentials>(() => credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null));
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time };
        if (config.MaxErrorRetry > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<AmazonRoute53Exception>(e => Retryable.Contains(e.ErrorCode ?? string.Empty) || (int)e.StatusCode >= 500)
                    .Handle<HttpRequestException>(),
                MaxRetryAttempts = config.MaxErrorRetry,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = config.RetryBaseDelay,
                MaxDelay = config.MaxRetryDelay,
            });
        }

        _retry = builder.Build();
    }

    /// <inheritdoc />
    public async Task<ChangeResourceRecordSetsResponse> ChangeResourceRecordSetsAsync(ChangeResourceRecordSetsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new XElement(
            Ns + "ChangeResourceRecordSetsRequest",
            new XElement(
                Ns + "ChangeBatch",
                request.ChangeBatch.Comment is null ? null : new XElement(Ns + "Comment", request.ChangeBatch.Comment),
                new XElement(Ns + "Changes", request.ChangeBatch.Changes.Select(c => new XElement(
                    Ns + "Change",
                    new XElement(Ns + "Action", c.Action.Value),
                    new XElement(
                        Ns + "ResourceRecordSet",
                        new XElement(Ns + "Name", c.ResourceRecordSet.Name),
                        new XElement(Ns + "Type", c.ResourceRecordSet.Type.Value),
                        c.ResourceRecordSet.TTL is null ? null : new XElement(Ns + "TTL", c.ResourceRecordSet.TTL.Value),
                        new XElement(Ns + "ResourceRecords", c.ResourceRecordSet.ResourceRecords.Select(r => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", r.Value))))))))));
        var root = await SendAsync(HttpMethod.Post, $"/{Version}/hostedzone/{ZoneId(request.HostedZoneId)}/rrset/", null, body, cancellationToken).ConfigureAwait(false);
        return new ChangeResourceRecordSetsResponse { ChangeInfo = ParseChange(root.Element(Ns + "ChangeInfo")) };
    }

    /// <inheritdoc />
    public async Task<ListResourceRecordSetsResponse> ListResourceRecordSetsAsync(ListResourceRecordSetsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new List<(string, string)>();
        if (request.StartRecordName is not null)
        {
            query.Add(("name", request.StartRecordName));
        }

        if (request.StartRecordType is not null)
        {
            query.Add(("type", request.StartRecordType.Value));
        }

        if (request.MaxItems is not null)
        {
            query.Add(("maxitems", request.MaxItems));
        }

        var root = await SendAsync(HttpMethod.Get, $"/{Version}/hostedzone/{ZoneId(request.HostedZoneId)}/rrset", query, null, cancellationToken).ConfigureAwait(false);
        return new ListResourceRecordSetsResponse
        {
            ResourceRecordSets = root.Element(Ns + "ResourceRecordSets")?.Elements(Ns + "ResourceRecordSet").Select(e => new ResourceRecordSet
            {
                Name = Value(e, "Name") ?? string.Empty,
                Type = RRType.FindValue(Value(e, "Type") ?? string.Empty),
                TTL = Value(e, "TTL") is { } ttl ? long.Parse(ttl, CultureInfo.InvariantCulture) : null,
                ResourceRecords = e.Element(Ns + "ResourceRecords")?.Elements(Ns + "ResourceRecord").Select(r => new ResourceRecord(Value(r, "Value") ?? string.Empty)).ToList() ?? [],
            }).ToList() ?? [],
            IsTruncated = Value(root, "IsTruncated") == "true",
            NextRecordName = Value(root, "NextRecordName"),
            NextRecordType = Value(root, "NextRecordType") is { } t ? RRType.FindValue(t) : null,
            MaxItems = Value(root, "MaxItems"),
        };
    }

    /// <inheritdoc />
    public async Task<GetChangeResponse> GetChangeAsync(GetChangeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = request.Id.Replace("/change/", string.Empty, StringComparison.Ordinal);
        var root = await SendAsync(HttpMethod.Get, $"/{Version}/change/{Uri.EscapeDataString(id)}", null, null, cancellationToken).ConfigureAwait(false);
        return new GetChangeResponse { ChangeInfo = ParseChange(root.Element(Ns + "ChangeInfo")) };
    }

    /// <inheritdoc />
    public async Task<GetHostedZoneResponse> GetHostedZoneAsync(GetHostedZoneRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var root = await SendAsync(HttpMethod.Get, $"/{Version}/hostedzone/{ZoneId(request.Id)}", null, null, cancellationToken).ConfigureAwait(false);
        var zone = root.Element(Ns + "HostedZone");
        return new GetHostedZoneResponse
        {
            HostedZone = new HostedZone
            {
                Id = Value(zone, "Id") ?? string.Empty,
                Name = Value(zone, "Name") ?? string.Empty,
                ResourceRecordSetCount = Value(zone, "ResourceRecordSetCount") is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : null,
                Config = new HostedZoneConfig
                {
                    PrivateZone = Value(zone?.Element(Ns + "Config"), "PrivateZone") == "true",
                    Comment = Value(zone?.Element(Ns + "Config"), "Comment"),
                },
            },
            VPCs = root.Element(Ns + "VPCs")?.Elements(Ns + "VPC").Select(v => new VPC { VPCId = Value(v, "VPCId") ?? string.Empty, VPCRegion = Value(v, "VPCRegion") ?? string.Empty }).ToList() ?? [],
        };
    }

    private static string ZoneId(string id) => Uri.EscapeDataString(id.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal));

    private static string? Value(XElement? parent, string name) => parent?.Element(Ns + name)?.Value;

    private static ChangeInfo ParseChange(XElement? e) => new()
    {
        Id = Value(e, "Id") ?? string.Empty,
        Status = ChangeStatus.FindValue(Value(e, "Status") ?? string.Empty),
        SubmittedAt = Value(e, "SubmittedAt") is { } at ? DateTime.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal) : default,
        Comment = Value(e, "Comment"),
    };

    private async Task<XElement> SendAsync(HttpMethod method, string path, IReadOnlyList<(string Key, string Value)>? query, XElement? body, CancellationToken cancellationToken)
    {
        var uri = new UriBuilder(_config.ServiceURL)
        {
            Path = _config.ServiceURL.AbsolutePath.TrimEnd('/') + path,
            Query = query is { Count: > 0 } ? string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}")) : string.Empty,
        }.Uri;
        var content = body is null ? null : Encoding.UTF8.GetBytes(body.ToString(SaveOptions.DisableFormatting));
        return await _retry.ExecuteAsync(
            async ct =>
            {
                using var message = await SignAsync(method, uri, content, ct).ConfigureAwait(false);
                using var response = await _http.SendAsync(message, ct).ConfigureAwait(false);
                var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                return response.IsSuccessStatusCode ? XElement.Parse(text) : throw ParseError(response, text);
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpRequestMessage> SignAsync(HttpMethod method, Uri uri, byte[]? content, CancellationToken cancellationToken)
    {
        var signing = new AWSSigningRequest { HttpMethod = method, RequestUri = uri, Content = content ?? [] };
        if (content is not null)
        {
            signing.Headers["Content-Type"] = "application/xml";
        }

        var signed = await AWSSigV4Signer.SignAsync(
            signing,
            new AWSSigV4Parameters { Credentials = _credentials.Value, Region = RegionEndpoint.GetBySystemName(_config.AuthenticationRegion), Service = "route53" },
            cancellationToken).ConfigureAwait(false);
        var message = new HttpRequestMessage(method, uri);
        if (content is not null)
        {
            message.Content = new ByteArrayContent(content);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        }

        foreach (var (name, value) in signed.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    private static AmazonRoute53Exception ParseError(HttpResponseMessage response, string text)
    {
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() ?? string.Empty : string.Empty;
        try
        {
            var root = XElement.Parse(text);
            if (root.Name.LocalName == "InvalidChangeBatch")
            {
                var messages = root.Descendants(Ns + "Message").Select(m => m.Value).ToList();
                return new InvalidChangeBatchException(string.Join("; ", messages), messages, Value(root, "RequestId") ?? requestId, response.StatusCode);
            }

            var error = root.Element(Ns + "Error");
            var code = Value(error, "Code") ?? response.StatusCode.ToString();
            var message = Value(error, "Message") ?? response.ReasonPhrase ?? string.Empty;
            requestId = Value(root, "RequestId") ?? requestId;
            return code switch
            {
                "NoSuchHostedZone" => new NoSuchHostedZoneException(message, requestId, response.StatusCode),
                "InvalidChangeBatch" => new InvalidChangeBatchException(message, [message], requestId, response.StatusCode),
                _ => new AmazonRoute53Exception(message, code, requestId, response.StatusCode),
            };
        }
        catch (XmlException)
        {
            return new AmazonRoute53Exception($"Route 53 answered HTTP {(int)response.StatusCode} without an error document.", response.StatusCode.ToString(), requestId, response.StatusCode);
        }
    }
}
