using ClusterPro.Monitoring;

namespace ClusterPro.TestSupport;

/// <summary>Test-only views of a monitor runner's loop, so a test advances its fake clock only while the loop waits on it.</summary>
public static class MonitorRunnerTestHooks
{
    /// <summary>How long, in real time, <see cref="WaitUntilParked"/> waits for a loop the machine has not scheduled yet.</summary>
    public static readonly TimeSpan ParkTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether the runner's loop is parked on its clock (start delay, interval, or waiting for its target) with the
    /// timer already set: before the loop first waits, and from the moment a wait ends until the loop waits again, it is not.
    /// </summary>
    /// <param name="runner">The runner.</param>
    /// <returns>True when parked.</returns>
    public static bool Parked(MonitorRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        return runner.Parked;
    }

    /// <summary>How many times the runner's loop has parked so far.</summary>
    /// <param name="runner">The runner.</param>
    /// <returns>The count.</returns>
    public static long Parks(MonitorRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        return runner.Parks;
    }

    /// <summary>
    /// Waits (in real time, bounded by <see cref="ParkTimeout"/>) until the runner's loop is parked; with
    /// <paramref name="afterParks"/>, on a wait it started after that reading of <see cref="Parks"/>. Once it returns,
    /// every cycle a fired timer started has completed, and advancing the fake clock cannot outrun the loop.
    /// </summary>
    /// <param name="runner">The runner.</param>
    /// <param name="afterParks">A reading of <see cref="Parks"/> taken before the wait that must end; -1 for any wait.</param>
    /// <exception cref="TimeoutException">The loop did not park in time.</exception>
    public static void WaitUntilParked(MonitorRunner runner, long afterParks = -1)
    {
        ArgumentNullException.ThrowIfNull(runner);
        if (!SpinWait.SpinUntil(() => runner.Parks > afterParks && runner.Parked, ParkTimeout))
        {
            throw new TimeoutException(
                $"Monitor runner {runner.Name} did not park on its clock within {ParkTimeout.TotalSeconds} s " +
                $"(parked {runner.Parks} times, {(runner.Parked ? "parked" : "running")} now, waiting for a park after {afterParks}).");
        }
    }
}
