namespace ClusterPro.Aws.Testing.Route53;

/// <summary>A change batch not yet published to the name servers.</summary>
internal sealed record PendingBatch(ChangeModel Change, IReadOnlyList<(string Action, RecordSetModel Set)> Actions);
