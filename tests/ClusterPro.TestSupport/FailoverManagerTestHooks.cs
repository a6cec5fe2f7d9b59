using ClusterPro.Failover;

namespace ClusterPro.TestSupport;

/// <summary>Test-only settings of the failover manager's driver.</summary>
public static class FailoverManagerTestHooks
{
    /// <summary>
    /// Starts the manager's effects (probes, fences, group operations) on the calling thread rather than the thread
    /// pool: each runs until it waits for the fake clock or the network, so no effect lags behind a fake clock the test
    /// advances.
    /// </summary>
    /// <param name="manager">The manager, before it starts.</param>
    public static void RunEffectsInline(FailoverManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        manager.EffectScheduler = work =>
        {
            try
            {
                return work();
            }
#pragma warning disable CA1031 // The exception is the task's outcome, as Task.Run would make it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return Task.FromException(ex);
            }
        };
    }

    /// <summary>
    /// Whether the manager's heartbeat loop is parked until its next heartbeat is due: before the loop first runs, and
    /// from the moment its timer fires until it has sent and parked again, it is not. A test advances its fake clock only
    /// while every running node's loop is parked, so the clock never outruns a loop the machine has not scheduled yet.
    /// </summary>
    /// <param name="manager">The manager.</param>
    /// <returns>True when parked.</returns>
    public static bool HeartbeatParked(FailoverManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        return manager.HeartbeatParked;
    }
}
