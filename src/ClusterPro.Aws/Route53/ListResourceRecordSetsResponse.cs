namespace ClusterPro.Aws.Route53;

/// <summary>ListResourceRecordSets response.</summary>
internal sealed class ListResourceRecordSetsResponse
{
    /// <summary>The record sets.</summary>
    public List<ResourceRecordSet> ResourceRecordSets { get; set; } = [];

    /// <summary>Whether more follow.</summary>
    public bool? IsTruncated { get; set; }

    /// <summary>The next name when truncated.</summary>
    public string? NextRecordName { get; set; }

    /// <summary>The next type when truncated.</summary>
    public RRType? NextRecordType { get; set; }

    /// <summary>The page size used.</summary>
    public string? MaxItems { get; set; }
}
