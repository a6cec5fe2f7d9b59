namespace ClusterPro.Aws.Route53;

/// <summary>A VPC associated with a private hosted zone.</summary>
internal sealed class VPC
{
    /// <summary>The VPC ID.</summary>
    public string VPCId { get; set; } = string.Empty;

    /// <summary>Its region.</summary>
    public string VPCRegion { get; set; } = string.Empty;
}
