namespace ClusterPro.Aws.Placement;

/// <summary>Where AWS points a resource now, and which configured node that corresponds to.</summary>
/// <param name="Resource">The resource's name.</param>
/// <param name="Kind">The resource type: <c>awsvip</c>, <c>awseip</c> or <c>awsdns</c>.</param>
/// <param name="State">Whether it points at one configured node, nowhere, elsewhere, or could not be read.</param>
/// <param name="Node">The node it points at when <paramref name="State"/> is <see cref="AwsPlacementState.Node"/>; otherwise <see langword="null"/>.</param>
/// <param name="Targets">Each place AWS holds a target: every route table holding the VIP, the address's association, the record's values.</param>
/// <param name="Detail">The reading in words; for <see cref="AwsPlacementState.Unknown"/>, the AWS failure.</param>
public sealed record AwsResourcePlacement(string Resource, string Kind, AwsPlacementState State, string? Node, IReadOnlyList<AwsPlacementTarget> Targets, string Detail);
