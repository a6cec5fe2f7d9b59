namespace ClusterPro.Applications.Probing;

/// <summary>What an <see cref="HttpClientProbe"/> asks for, and how often.</summary>
public sealed class HttpClientProbeOptions
{
    /// <summary>The URL every request goes to (unless <see cref="ResolveUrl"/> chooses per request).</summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// Chooses the URL of each request — for a client that follows the service, e.g. to the node the VIP's route points
    /// at now. <value>Default: none — <see cref="Url"/>.</value> An exception counts as a failed request.
    /// </summary>
    public Func<CancellationToken, ValueTask<Uri>>? ResolveUrl { get; set; }

    /// <summary>How often a request is sent, whether or not the previous one has answered. <value>Default: 50 ms.</value></summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long one request may take (connecting included) before it counts as failed. <value>Default: 1 s.</value></summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The statuses that count as answered. <value>Default: none listed — any 2xx status.</value></summary>
    public IList<int> ExpectedStatus { get; set; } = [];

    /// <summary>How many failures the report lists (all are counted). <value>Default: 1000.</value></summary>
    public int MaxFailuresListed { get; set; } = 1000;
}
