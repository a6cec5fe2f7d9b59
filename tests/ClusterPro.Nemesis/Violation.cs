namespace ClusterPro.Nemesis;

/// <summary>A property the checker found broken.</summary>
/// <param name="T">Run seconds when it broke (or was found broken).</param>
/// <param name="Category"><c>safety</c> or <c>liveness</c>.</param>
/// <param name="Property">The property's short name, e.g. <c>healthy-node-fenced</c>.</param>
/// <param name="Text">What happened, in plain words.</param>
internal sealed record Violation(double T, string Category, string Property, string Text)
{
    /// <summary>A safety property: something bad happened.</summary>
    public const string Safety = "safety";

    /// <summary>A liveness property: something good did not happen in time.</summary>
    public const string Liveness = "liveness";
}
