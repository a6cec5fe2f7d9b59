namespace ClusterPro.Aws.Route53;

/// <summary>
/// The four Route 53 operations ClusterPro uses. The operation and type names follow AWSSDK.Route53, but these are
/// ClusterPro's own types (namespace <c>ClusterPro.Aws.Route53</c>): the official <c>Amazon.Route53.IAmazonRoute53</c>
/// does not implement this interface and is not a drop-in replacement. To use the official client, register an
/// adapter that implements this interface over it (four methods mapping the request and response types).
/// </summary>
public interface IAmazonRoute53
{
    /// <summary>Submits a change batch (all or nothing).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The change.</returns>
    Task<ChangeResourceRecordSetsResponse> ChangeResourceRecordSetsAsync(ChangeResourceRecordSetsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists record sets from a start name and type.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A page.</returns>
    Task<ListResourceRecordSetsResponse> ListResourceRecordSetsAsync(ListResourceRecordSetsRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a change's status.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The change.</returns>
    Task<GetChangeResponse> GetChangeAsync(GetChangeRequest request, CancellationToken cancellationToken = default);

    /// <summary>Reads a hosted zone and its VPCs.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The zone.</returns>
    Task<GetHostedZoneResponse> GetHostedZoneAsync(GetHostedZoneRequest request, CancellationToken cancellationToken = default);
}
