using Amazon.Runtime;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>How ClusterPro's AWS clients are set up (the SDK's own <c>AWS</c> section and credential chain still apply).</summary>
public sealed class ClusterProAwsOptions
{
    /// <summary>
    /// The SDK's retry mode: throttling (<c>RequestLimitExceeded</c>), 5xx and network errors are retried by the SDK with
    /// exponential backoff and jitter inside each call's <c>AwsCallTimeout</c>. <value>Default: <see cref="RequestRetryMode.Standard"/>.</value>
    /// </summary>
    public RequestRetryMode RetryMode { get; set; } = RequestRetryMode.Standard;

    /// <summary>Retries per call (EC2, DynamoDB and Route 53). <value>Default: 3.</value></summary>
    public int MaxErrorRetry { get; set; } = 3;

    /// <summary>
    /// How long one attempt of an AWS call (EC2, DynamoDB and Route 53) may wait for its answer before it fails (and the
    /// SDK may retry it): a one-shot command sets it to its own time budget, so an endpoint that accepts connections and
    /// never answers cannot hold it longer. <value>Default: <see langword="null"/>, the SDK's own (100 s).</value>
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Where the DNS resource and monitor send their Route 53 calls (REST-XML, signed for <c>us-east-1</c>): an emulator's
    /// endpoint in tests. <value>Default: <c>AWS_ENDPOINT_URL_ROUTE_53</c>, else <c>AWS_ENDPOINT_URL</c>, else Route 53's own
    /// endpoint.</value>
    /// </summary>
    public Uri? Route53Endpoint { get; set; }

    /// <summary>
    /// The credentials of the Route 53 calls. <value>Default: the credentials of the SDK's <c>AWSOptions</c> when the host
    /// registered them, else the SDK's default chain (environment, profile, instance role).</value>
    /// </summary>
    public AWSCredentials? Route53Credentials { get; set; }
}
