namespace ClusterPro.Aws.Testing.Route53;

/// <summary>A change: its ID, when it was submitted and when it is INSYNC.</summary>
internal sealed record ChangeModel(string Id, DateTimeOffset SubmittedAt, DateTimeOffset DueAt, string? Comment);
