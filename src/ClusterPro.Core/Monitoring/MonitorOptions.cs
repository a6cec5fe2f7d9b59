using System.ComponentModel.DataAnnotations;
using ClusterPro.Failover;

namespace ClusterPro.Monitoring;

/// <summary>When a monitor runs.</summary>
public enum MonitorTiming
{
    /// <summary>Always (from cluster start).</summary>
    Always,

    /// <summary>Only while <see cref="MonitorOptions.TargetResource"/> is active on this node.</summary>
    WhileActive,
}

/// <summary>What a recovery action acts on.</summary>
public enum RecoveryTargetKind
{
    /// <summary>One group resource (reactivated; failover moves its group).</summary>
    Resource,

    /// <summary>A whole failover group.</summary>
    Group,

    /// <summary>This server: no reactivation or failover, only the final action.</summary>
    LocalServer,
}

/// <summary>The recovery action of a monitor: target, thresholds and final action.</summary>
public sealed class RecoveryOptions
{
    /// <summary>What to recover. <value>Default: <see cref="RecoveryTargetKind.Resource"/>.</value></summary>
    public RecoveryTargetKind TargetKind { get; set; } = RecoveryTargetKind.Resource;

    /// <summary>The resource or group name to recover (ignored for <see cref="RecoveryTargetKind.LocalServer"/>).</summary>
    public string? Target { get; set; }

    /// <summary>How many times to reactivate the target before failing over. <value>Default: 3.</value></summary>
    [Range(0, 99)]
    public int ReactivationThreshold { get; set; } = 3;

    /// <summary>How many times to fail the group over before the final action. <value>Default: 1.</value></summary>
    [Range(0, 99)]
    public int FailoverThreshold { get; set; } = 1;

    /// <summary>The final action when both thresholds are used up. <value>Default: <see cref="FinalAction.None"/>.</value></summary>
    public FinalAction FinalAction { get; set; } = FinalAction.None;
}

/// <summary>The common settings of a monitor resource (CLUSTERPRO "monitor (common)" and "recovery action").</summary>
public sealed class MonitorOptions
{
    /// <summary>Time between checks. <value>Default: 60 s.</value></summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one check may take. <value>Default: 120 s.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How many consecutive failed checks are retried before an error is declared: the error is declared
    /// on failure number <c>RetryCount + 1</c>. <value>Default: 1.</value>
    /// </summary>
    [Range(0, 999)]
    public int RetryCount { get; set; } = 1;

    /// <summary>
    /// Wait before the first check: from the start for an <see cref="MonitorTiming.Always"/> monitor, from each activation
    /// of the target for a <see cref="MonitorTiming.WhileActive"/> one (must exceed Route 53 propagation for DNS monitors).
    /// <value>Default: 0.</value>
    /// </summary>
    public TimeSpan StartDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Always, or only while <see cref="TargetResource"/> is active. <value>Default: <see cref="MonitorTiming.Always"/>.</value></summary>
    public MonitorTiming Timing { get; set; } = MonitorTiming.Always;

    /// <summary>The resource whose activity gates <see cref="MonitorTiming.WhileActive"/> monitoring.</summary>
    public string? TargetResource { get; set; }

    /// <summary>Whether a timed-out check counts toward the retry count (else it is declared at once). <value>Default: false.</value></summary>
    public bool RetryOnTimeout { get; set; }

    /// <summary>
    /// Whether a declared timeout triggers recovery. When false (the default) a timeout is reported as
    /// a warning (code 100+N) and nothing is recovered. <value>Default: false.</value>
    /// </summary>
    public bool RecoverOnTimeout { get; set; }

    /// <summary>The recovery action.</summary>
    public RecoveryOptions Recovery { get; set; } = new();
}
