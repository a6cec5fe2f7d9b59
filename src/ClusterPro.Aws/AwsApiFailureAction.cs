namespace ClusterPro.Aws;

/// <summary>What an AWS monitor does when the AWS API gives no usable answer (timeout, endpoint or network error, throttling, 5xx).</summary>
public enum AwsApiFailureAction
{
    /// <summary>
    /// Don't recover and show no warning: the check is <see cref="ClusterPro.Monitoring.MonitorStatus.Unknown"/> — nothing is
    /// recovered, and the monitor's retry and recovery counters stay as they were, so an outage mixed with real drift still
    /// escalates (the failure is logged and counted). The default, as recommended.
    /// </summary>
    Silent,

    /// <summary>Don't recover, show a warning (code 100+N).</summary>
    Warn,

    /// <summary>Treat it as an error and recover.</summary>
    Recover,
}
