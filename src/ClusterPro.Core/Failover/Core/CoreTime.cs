namespace ClusterPro.Failover;

/// <summary>
/// The time an input happened, as the driver read it: a monotonic reading for every timeout and delay, and the wall
/// clock only for heartbeat freshness and event timestamps. The decision core reads no clock itself.
/// </summary>
/// <param name="Now">Monotonic time since the driver started (never steps).</param>
/// <param name="Wall">The wall clock (may step).</param>
internal readonly record struct CoreTime(TimeSpan Now, DateTimeOffset Wall);
