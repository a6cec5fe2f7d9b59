using ClusterPro.Monitoring;

namespace ClusterPro.Control;

/// <summary>One monitor as its node reports it.</summary>
/// <param name="Monitor">The monitor.</param>
/// <param name="Current">What it shows now.</param>
/// <param name="ConsecutiveFailures">Failures counted toward its retry count.</param>
/// <param name="Reactivations">Reactivations done since its ladder was last reset.</param>
/// <param name="Failovers">Failovers requested since its ladder was last reset.</param>
/// <param name="FinalActionTaken">Whether its final action was taken since its ladder was last reset.</param>
/// <param name="Suspended">Whether its checks are paused (maintenance).</param>
/// <param name="LastError">The last error a check returned, or <see langword="null"/>.</param>
/// <param name="LastErrorAt">When.</param>
public sealed record MonitorReport(
    string Monitor,
    MonitorResult Current,
    int ConsecutiveFailures,
    int Reactivations,
    int Failovers,
    bool FinalActionTaken,
    bool Suspended,
    MonitorResult? LastError,
    DateTimeOffset? LastErrorAt)
{
    /// <summary>Reads a runner.</summary>
    /// <param name="runner">The runner.</param>
    /// <returns>Its report.</returns>
    public static MonitorReport From(MonitorRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var ladder = runner.Escalation;
        return new(runner.Name, runner.Current, runner.ConsecutiveFailures, ladder.Reactivations, ladder.Failovers, ladder.FinalActionTaken, runner.Suspended, runner.LastError, runner.LastErrorAt);
    }
}
