using ClusterPro.Aws.Route53;

namespace ClusterPro.Aws.Dns;

/// <summary>What the record set held the last time Route 53 told us (a ListResourceRecordSets read or our own accepted change).</summary>
/// <param name="Set">The record set, or null when it did not exist.</param>
/// <param name="Source">Which call told us.</param>
/// <param name="Timestamp">When (<see cref="TimeProvider.GetTimestamp"/>).</param>
internal sealed record RecordSighting(ResourceRecordSet? Set, string Source, long Timestamp);
