namespace ClusterPro.Resources;

/// <summary>
/// A group resource: something activated on the active node and deactivated on the standby
/// (a virtual IP, an Elastic IP, a DNS record …).
/// </summary>
/// <remarks>
/// Implementations must be idempotent (activating an active resource succeeds and changes
/// nothing; deactivating an inactive one succeeds), honour cancellation by throwing
/// <see cref="OperationCanceledException"/>, and report failures as results rather than exceptions.
/// </remarks>
public interface IGroupResource
{
    /// <summary>The resource name, unique in the cluster (e.g. <c>awsvip1</c>).</summary>
    string Name { get; }

    /// <summary>Activates the resource on <see cref="ResourceContext.NodeName"/>.</summary>
    /// <param name="context">Where the resource runs.</param>
    /// <param name="cancellationToken">Cancels the operation; cancellation throws.</param>
    /// <returns>The result with its code, message and the changes made.</returns>
    Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default);

    /// <summary>Deactivates the resource on <see cref="ResourceContext.NodeName"/>.</summary>
    /// <param name="context">Where the resource runs.</param>
    /// <param name="cancellationToken">Cancels the operation; cancellation throws.</param>
    /// <returns>The result with its code, message and the changes made.</returns>
    Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// The result reported when an operation does not finish within the group's timeout.
    /// Override to use the resource's own code (the AWS Elastic IP resource uses 53 "Timeout occurred.").
    /// </summary>
    /// <param name="timeout">The timeout that elapsed.</param>
    /// <returns>The failure result.</returns>
    ResourceResult CreateTimeoutResult(TimeSpan timeout) =>
        ResourceResult.Failure(ResultCodes.Timeout, $"Command was not completed within {timeout.TotalSeconds:0} seconds.");
}
