namespace ClusterPro.Failover;

/// <summary>One step of the failover manager, timestamped by its <see cref="TimeProvider"/>.</summary>
/// <param name="Timestamp">When.</param>
/// <param name="Node">On which node.</param>
/// <param name="Kind">What.</param>
/// <param name="Subject">The peer, group or resource concerned.</param>
/// <param name="Detail">The outcome in words (codes and messages included).</param>
/// <param name="Succeeded">Whether the step succeeded.</param>
public sealed record FailoverEvent(DateTimeOffset Timestamp, string Node, FailoverEventKind Kind, string Subject, string Detail, bool Succeeded = true);
