namespace ClusterPro.Aws.Route53;

/// <summary>ListResourceRecordSets request.</summary>
internal sealed class ListResourceRecordSetsRequest
{
    /// <summary>The hosted zone ID.</summary>
    public string HostedZoneId { get; set; } = string.Empty;

    /// <summary>List from this name on.</summary>
    public string? StartRecordName { get; set; }

    /// <summary>And this type (requires a name).</summary>
    public RRType? StartRecordType { get; set; }

    /// <summary>At most this many (as a string, as in AWSSDK.Route53).</summary>
    public string? MaxItems { get; set; }
}
