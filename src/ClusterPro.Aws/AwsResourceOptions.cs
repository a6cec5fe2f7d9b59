namespace ClusterPro.Aws;

/// <summary>Settings every AWS resource and monitor has.</summary>
public abstract class AwsResourceOptions
{
    /// <summary>
    /// Bound on each AWS API call, the SDK's own retries of throttling and 5xx included (CLUSTERPRO: 1–999 s).
    /// <value>Default: 100 s.</value>
    /// </summary>
    [TimeSpanRange("00:00:01", "00:16:39", ErrorMessage = "use 1 to 999 seconds (e.g. \"00:01:40\" for the default 100 s)")]
    public TimeSpan AwsCallTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>What the resource's monitor does when the AWS API gives no answer. <value>Default: <see cref="AwsApiFailureAction.Silent"/>.</value></summary>
    public AwsApiFailureAction MonitorApiFailureAction { get; set; } = AwsApiFailureAction.Silent;
}
