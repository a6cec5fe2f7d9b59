using ClusterPro.Applications.DependencyInjection;
using ClusterPro.Resources;

namespace ClusterPro.Applications.Http;

/// <summary>
/// The settings of an HTTP monitor (configuration <c>"Type": "http"</c>): a GET of <see cref="Url"/> is normal when its
/// status is expected and, with <see cref="BodyMatch"/>, its body matches. Requests go through the
/// <c>IHttpClientFactory</c> client <c>ClusterPro.Applications.Http</c> (configure proxies or certificates there).
/// </summary>
public sealed class HttpMonitorOptions : ApplicationMonitorOptions
{
    /// <summary>
    /// The URL, absolute, <c>http</c> or <c>https</c> (e.g. <c>http://127.0.0.1:18080/health</c>); one for every node, or
    /// per node (<c>{ "Nodes": { "node1": "http://10.0.110.100:18080/", … } }</c>). Required.
    /// </summary>
    public PerNode<string> Url { get; set; } = new();

    /// <summary>The statuses that are normal. <value>Default: none listed — any 2xx status.</value></summary>
    public IList<int> ExpectedStatus { get; set; } = [];

    /// <summary>A regular expression the body must match (e.g. <c>"status":\s*"up"</c>). <value>Default: none — the body is not read.</value></summary>
    public string? BodyMatch { get; set; }
}
