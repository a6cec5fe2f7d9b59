namespace ClusterPro.Aws.Route53;

/// <summary>GetChange response.</summary>
internal sealed class GetChangeResponse
{
    /// <summary>The change.</summary>
    public ChangeInfo ChangeInfo { get; set; } = new();
}
