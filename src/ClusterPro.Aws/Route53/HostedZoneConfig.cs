namespace ClusterPro.Aws.Route53;

/// <summary>A hosted zone's configuration.</summary>
internal sealed class HostedZoneConfig
{
    /// <summary>Whether the zone is private.</summary>
    public bool? PrivateZone { get; set; }

    /// <summary>Its comment.</summary>
    public string? Comment { get; set; }
}
