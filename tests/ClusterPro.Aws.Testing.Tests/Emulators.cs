using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace ClusterPro.Aws.Testing.Tests;

internal static class Emulators
{
    public static Task<AwsEmulator> CanonicalAsync(TimeProvider? time = null, TimeSpan? propagation = null) =>
        AwsEmulator.StartAsync(new AwsEmulatorOptions
        {
            Scenario = EmulatorScenario.Canonical,
            DnsPort = -1,
            TimeProvider = time ?? TimeProvider.System,
            Route53PropagationDelay = propagation ?? TimeSpan.Zero,
        });

    public static AmazonEC2Client Client(AwsEmulator emulator, Action<AmazonEC2Config>? configure = null, string? secret = null, string? accessKey = null, string? region = null)
    {
        var config = emulator.CreateEc2Config(region);
        configure?.Invoke(config);
        return new AmazonEC2Client(new BasicAWSCredentials(accessKey ?? emulator.AccessKeyId, secret ?? emulator.SecretAccessKey), config);
    }
}

/// <summary>A fixed request type for the SDK's signer (it only needs some AmazonWebServiceRequest).</summary>
internal sealed class SignedCall : AmazonWebServiceRequest
{
}

/// <summary>Route 53 REST-XML calls signed by AWSSDK.Core's own SigV4 signer, sent with HttpClient.</summary>
internal sealed class Route53Http(AwsEmulator emulator, string? secret = null) : IDisposable
{
    private static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";
    private readonly HttpClient _http = new();

    public static XNamespace R53 => Ns;

    public void Dispose() => _http.Dispose();

    public async Task<(int Status, XElement Body)> SendAsync(HttpMethod method, string path, IReadOnlyDictionary<string, string>? query = null, XElement? body = null)
    {
        var request = new DefaultRequest(new SignedCall(), "Route53")
        {
            HttpMethod = method.Method,
            Endpoint = new Uri(emulator.Endpoint.GetLeftPart(UriPartial.Authority)),
            ResourcePath = path,
            OverrideSigningServiceName = "route53",
            AuthenticationRegion = "us-east-1",
        };
        var content = body is null ? null : Encoding.UTF8.GetBytes(body.ToString(SaveOptions.DisableFormatting));
        if (content is not null)
        {
            request.Content = content;
            request.Headers["Content-Type"] = "application/xml";
        }

        foreach (var (k, v) in query ?? new Dictionary<string, string>())
        {
            request.Parameters[k] = v;
        }

        var config = new AmazonEC2Config { AuthenticationServiceName = "route53", AuthenticationRegion = "us-east-1", ServiceURL = emulator.Endpoint.ToString() };
        new AWS4Signer().Sign(request, config, null, new BasicAWSCredentials(emulator.AccessKeyId, secret ?? emulator.SecretAccessKey));

        var url = emulator.Endpoint.GetLeftPart(UriPartial.Authority) + path;
        if (query is { Count: > 0 })
        {
            url += "?" + string.Join('&', query.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));
        }

        using var message = new HttpRequestMessage(method, url);
        if (content is not null)
        {
            message.Content = new ByteArrayContent(content);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        }

        foreach (var (name, value) in request.Headers)
        {
            if (name is "Content-Type" or "Content-Length" or "Host" or "User-Agent")
            {
                continue;
            }

            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await _http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, XElement.Parse(text));
    }
}
