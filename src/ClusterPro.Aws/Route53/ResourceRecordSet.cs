namespace ClusterPro.Aws.Route53;

/// <summary>A resource record set.</summary>
internal sealed class ResourceRecordSet
{
    /// <summary>The name (FQDN with trailing dot).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The type.</summary>
    public RRType Type { get; set; } = RRType.A;

    /// <summary>The TTL in seconds.</summary>
    public long? TTL { get; set; }

    /// <summary>The values.</summary>
    public List<ResourceRecord> ResourceRecords { get; set; } = [];
}
