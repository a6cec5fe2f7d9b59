namespace ClusterPro.Aws.Route53;

/// <summary>
/// The four Route 53 operations the DNS resource and monitor use. The operation and shape names follow Route 53's API
/// (and AWSSDK.Route53's); the types are internal, so they never meet the official SDK's in a user's code. Hosts point
/// the client elsewhere with <see cref="DependencyInjection.ClusterProAwsOptions.Route53Endpoint"/> and
/// <see cref="DependencyInjection.ClusterProAwsOptions.Route53Credentials"/>.
/// </summary>
internal interface IAmazonRoute53
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
