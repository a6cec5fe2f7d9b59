namespace ClusterPro.Aws.Route53;

/// <summary>GetHostedZone response.</summary>
internal sealed class GetHostedZoneResponse
{
    /// <summary>The zone.</summary>
    public HostedZone HostedZone { get; set; } = new();

    /// <summary>The VPCs of a private zone.</summary>
    public List<VPC> VPCs { get; set; } = [];
}
