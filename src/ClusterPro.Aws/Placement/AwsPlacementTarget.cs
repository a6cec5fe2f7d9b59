namespace ClusterPro.Aws.Placement;

/// <summary>One place where AWS holds a resource's target.</summary>
/// <param name="Location">Where: a route table ID (<c>rtb-…</c>), an allocation ID (<c>eipalloc-…</c>) or a record name.</param>
/// <param name="Target">What it points at: an ENI ID or an IPv4 address; <see langword="null"/> when nothing (an address not associated, a record absent).</param>
/// <param name="Node">The configured node whose value that is, or <see langword="null"/> when none is.</param>
public sealed record AwsPlacementTarget(string Location, string? Target, string? Node);
