using ClusterPro.Failover;

namespace ClusterPro.Control;

/// <summary>What one running node reports of itself and of the cluster as it sees it.</summary>
/// <param name="View">Its view: its mode, standby and maintenance, every peer as it hears it, every group's owner and its own part.</param>
/// <param name="Monitors">Its monitors: status, failure count, recovery ladder, last error.</param>
/// <param name="Events">Its last events, oldest first.</param>
/// <param name="At">Its clock when it answered.</param>
/// <param name="StartedAt">When this run of the node started.</param>
public sealed record NodeReport(ClusterView View, IReadOnlyList<MonitorReport> Monitors, IReadOnlyList<FailoverEvent> Events, DateTimeOffset At, DateTimeOffset StartedAt);
