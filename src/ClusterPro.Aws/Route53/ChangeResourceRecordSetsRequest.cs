namespace ClusterPro.Aws.Route53;

/// <summary>ChangeResourceRecordSets request.</summary>
internal sealed class ChangeResourceRecordSetsRequest
{
    /// <summary>The hosted zone ID.</summary>
    public string HostedZoneId { get; set; } = string.Empty;

    /// <summary>The batch.</summary>
    public ChangeBatch ChangeBatch { get; set; } = new();
}
