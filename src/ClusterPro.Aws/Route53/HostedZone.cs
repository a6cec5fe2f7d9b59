namespace ClusterPro.Aws.Route53;

/// <summary>A hosted zone.</summary>
internal sealed class HostedZone
{
    /// <summary>The ID (<c>/hostedzone/Z…</c>).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The zone name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The configuration.</summary>
    public HostedZoneConfig Config { get; set; } = new();

    /// <summary>How many record sets it holds.</summary>
    public long? ResourceRecordSetCount { get; set; }
}
