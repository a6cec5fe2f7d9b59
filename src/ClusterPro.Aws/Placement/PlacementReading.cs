namespace ClusterPro.Aws.Placement;

/// <summary>Turns the targets a resource read from AWS into its placement: which node, nowhere, or drifted.</summary>
internal static class PlacementReading
{
    /// <summary>The node whose per-node value is <paramref name="target"/>, or <see langword="null"/>.</summary>
    public static string? NodeOf(IReadOnlyList<string> nodes, Func<string, string?> valueOf, string? target) =>
        target is null ? null : nodes.FirstOrDefault(n => string.Equals(valueOf(n), target, StringComparison.OrdinalIgnoreCase));

    public static AwsResourcePlacement From(string resource, string kind, IReadOnlyList<AwsPlacementTarget> targets)
    {
        var held = targets.Where(t => t.Target is not null).ToList();
        if (held.Count == 0)
        {
            return new AwsResourcePlacement(resource, kind, AwsPlacementState.None, null, targets, targets.Count == 0 ? "no target in AWS" : string.Join("; ", targets.Select(Describe)));
        }

        var nodes = held.Select(t => t.Node).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var detail = string.Join("; ", targets.Select(Describe));
        return nodes is [{ } node] && held.Count == targets.Count
            ? new AwsResourcePlacement(resource, kind, AwsPlacementState.Node, node, targets, detail)
            : new AwsResourcePlacement(resource, kind, AwsPlacementState.Drifted, null, targets, detail);
    }

    public static AwsResourcePlacement Unknown(string resource, string kind, string detail) =>
        new(resource, kind, AwsPlacementState.Unknown, null, [], detail);

    private static string Describe(AwsPlacementTarget t) =>
        $"{t.Location} -> {t.Target ?? "(none)"}{(t.Target is null ? string.Empty : t.Node is null ? " (no configured node)" : $" ({t.Node})")}";
}
