namespace ClusterPro.Aws.Route53;

/// <summary>ChangeResourceRecordSets response.</summary>
internal sealed class ChangeResourceRecordSetsResponse
{
    /// <summary>The submitted change.</summary>
    public ChangeInfo ChangeInfo { get; set; } = new();
}
