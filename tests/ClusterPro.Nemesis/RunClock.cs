namespace ClusterPro.Nemesis;

/// <summary>
/// Seconds since a schedule run began, on the machine's monotonic clock. Every record of a run (samples, node events,
/// AWS calls, faults) is stamped with it, so the checker compares times from one clock.
/// </summary>
internal sealed class RunClock
{
    private readonly long _start = TimeProvider.System.GetTimestamp();

    /// <summary>Seconds since the run began.</summary>
    public double Now => TimeProvider.System.GetElapsedTime(_start).TotalSeconds;

    /// <summary>Waits until <paramref name="at"/> seconds since the run began (at once when that has passed).</summary>
    /// <param name="at">The moment, in run seconds.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    /// <returns>A task that completes at that moment.</returns>
    public Task UntilAsync(double at, CancellationToken cancellationToken)
    {
        var left = at - Now;
        return left > 0 ? Task.Delay(TimeSpan.FromSeconds(left), TimeProvider.System, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Waits <paramref name="seconds"/> of wall-clock time.</summary>
    /// <param name="seconds">How long.</param>
    /// <param name="cancellationToken">Ends the wait early.</param>
    /// <returns>A task that completes then.</returns>
    public static Task DelayAsync(double seconds, CancellationToken cancellationToken) =>
        seconds > 0 ? Task.Delay(TimeSpan.FromSeconds(seconds), TimeProvider.System, cancellationToken) : Task.CompletedTask;
}
