namespace ClusterPro.Aws.Route53;

/// <summary>GetHostedZone request.</summary>
internal sealed class GetHostedZoneRequest
{
    /// <summary>The hosted zone ID (with or without <c>/hostedzone/</c>).</summary>
    public string Id { get; set; } = string.Empty;
}
