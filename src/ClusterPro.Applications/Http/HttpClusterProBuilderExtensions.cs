using System.Text.RegularExpressions;
using ClusterPro.Applications.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Applications.Http;

/// <summary>Adds HTTP monitors to a ClusterPro builder.</summary>
public static class HttpClusterProBuilderExtensions
{
    /// <summary>The name of the <c>IHttpClientFactory</c> client HTTP monitors use (configure proxies or certificates on it).</summary>
    public const string HttpClientName = "ClusterPro.Applications.Http";

    /// <summary>
    /// Adds an HTTP monitor: a GET of its URL is normal when the status is expected (any 2xx unless listed) and, with a
    /// body match, the body matches; no answer is error 7, another status error 8, another body error 9.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The monitor name.</param>
    /// <param name="configure">The URL, statuses, body match, and the resource watched.</param>
    /// <param name="monitor">Interval, timeout, retries, start wait and recovery.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddHttpMonitor(this IClusterProBuilder builder, string name, Action<HttpMonitorOptions> configure, Action<MonitorOptions>? monitor = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpClient(HttpClientName);
        return ApplicationRegistration.AddMonitor(
            builder,
            name,
            configure,
            monitor,
            (o, path, cluster, _, errors) =>
            {
                PerNodeSetting.Validate(o.Url, $"{path}:Url", cluster?.NodeNames ?? [], required: true, errors);
                foreach (var (node, value) in Tcp.TcpClusterProBuilderExtensions.Values(o.Url))
                {
                    if (!string.IsNullOrWhiteSpace(value) && (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
                    {
                        errors.Add($"{path}:Url{node} is '{value}'; use an absolute http or https URL, e.g. http://127.0.0.1:18080/health.");
                    }
                }

                foreach (var status in o.ExpectedStatus.Where(s => s is < 100 or > 599))
                {
                    errors.Add($"{path}:ExpectedStatus lists {status}; use HTTP statuses from 100 to 599, e.g. [200, 204].");
                }

                if (!string.IsNullOrEmpty(o.BodyMatch))
                {
                    try
                    {
                        Regex.Match(string.Empty, o.BodyMatch, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    }
                    catch (ArgumentException ex)
                    {
                        errors.Add($"{path}:BodyMatch is not a regular expression ({ex.Message}); fix it, e.g. \"status\":\\s*\"up\".");
                    }
                }
            },
            (sp, o) => new HttpMonitor(name, o, sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName)));
    }
}
