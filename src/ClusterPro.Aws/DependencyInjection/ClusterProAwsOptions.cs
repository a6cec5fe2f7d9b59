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

    /// <summary>Retries per call. <value>Default: 3.</value></summary>
    public int MaxErrorRetry { get; set; } = 3;
}
