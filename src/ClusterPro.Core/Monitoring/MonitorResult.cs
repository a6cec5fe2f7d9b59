using ClusterPro.Resources;

namespace ClusterPro.Monitoring;

/// <summary>The health a monitor reports.</summary>
public enum MonitorStatus
{
    /// <summary>Healthy.</summary>
    Normal,

    /// <summary>Something is off but no recovery is wanted (code is the error code plus 100).</summary>
    Warning,

    /// <summary>An error: the runner applies the retry count and then the recovery ladder.</summary>
    Error,

    /// <summary>
    /// Nothing could be concluded (for example, the AWS API gave no answer and the monitor is set not to recover on that):
    /// neither a failure nor a recovery. The runner keeps its retry and recovery counters as they are, so an outage mixed
    /// with real drift still escalates; health checks report it as degraded.
    /// </summary>
    Unknown,
}

/// <summary>The result of one monitor check: status, code and message (the spec's wording).</summary>
/// <param name="Status">Normal, Warning or Error.</param>
/// <param name="Code">0 when normal; the spec's error code N, or its warning twin 100+N.</param>
/// <param name="Message">The message.</param>
public sealed record MonitorResult(MonitorStatus Status, int Code, string Message)
{
    /// <summary>A normal result.</summary>
    /// <param name="message">Optional detail.</param>
    /// <returns>The result.</returns>
    public static MonitorResult Normal(string message = "Normal.") => new(MonitorStatus.Normal, ResultCodes.Success, message);

    /// <summary>An error with the spec's code N.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="message">The message.</param>
    /// <returns>The result.</returns>
    public static MonitorResult Error(int code, string message) => new(MonitorStatus.Error, code, message);

    /// <summary>A warning for error code N: the result's code is 100+N (error 5 → warning 105).</summary>
    /// <param name="errorCode">The error code N.</param>
    /// <param name="message">The message.</param>
    /// <returns>The result.</returns>
    public static MonitorResult Warning(int errorCode, string message) =>
        new(MonitorStatus.Warning, errorCode >= ResultCodes.WarningOffset ? errorCode : errorCode + ResultCodes.WarningOffset, message);

    /// <summary>An inconclusive result: nothing is known, nothing is recovered, and no counter moves.</summary>
    /// <param name="message">Why nothing is known.</param>
    /// <returns>The result.</returns>
    public static MonitorResult Unknown(string message) => new(MonitorStatus.Unknown, ResultCodes.Success, message);

    /// <summary>This result as its warning twin (an error N becomes warning 100+N; others are unchanged).</summary>
    /// <returns>The warning result.</returns>
    public MonitorResult AsWarning() => Status == MonitorStatus.Error ? Warning(Code, Message) : this;

    /// <inheritdoc />
    public override string ToString() => $"{Status} {Code} {Message}";
}
