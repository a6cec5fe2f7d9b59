namespace ClusterPro.Aws.Route53;

/// <summary>Settings of <see cref="AmazonRoute53Client"/>.</summary>
internal sealed class AmazonRoute53Config
{
    /// <summary>The endpoint. <value>Default: <c>https://route53.amazonaws.com</c>, or <c>AWS_ENDPOINT_URL_ROUTE_53</c> / <c>AWS_ENDPOINT_URL</c> via <see cref="FromEnvironment"/>.</value></summary>
    public Uri ServiceURL { get; set; } = new("https://route53.amazonaws.com");

    /// <summary>The signing region (Route 53 is global and signs for us-east-1). <value>Default: <c>us-east-1</c>.</value></summary>
    public string AuthenticationRegion { get; set; } = "us-east-1";

    /// <summary>Retries of throttling (<c>Throttling</c>, <c>PriorRequestNotComplete</c>), 5xx and network errors. <value>Default: 3.</value></summary>
    public int MaxErrorRetry { get; set; } = 3;

    /// <summary>The first retry's median delay (doubling, with jitter). <value>Default: 100 ms.</value></summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest retry delay. <value>Default: 20 s.</value></summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A configuration honouring <c>AWS_ENDPOINT_URL_ROUTE_53</c> and then <c>AWS_ENDPOINT_URL</c>.</summary>
    /// <returns>The configuration.</returns>
    public static AmazonRoute53Config FromEnvironment()
    {
        var config = new AmazonRoute53Config();
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_ROUTE_53") ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            config.ServiceURL = new Uri(endpoint);
        }

        return config;
    }
}
