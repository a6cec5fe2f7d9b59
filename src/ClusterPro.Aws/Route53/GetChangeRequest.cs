namespace ClusterPro.Aws.Route53;

/// <summary>GetChange request.</summary>
internal sealed class GetChangeRequest
{
    /// <summary>The change ID (with or without <c>/change/</c>).</summary>
    public string Id { get; set; } = string.Empty;
}
