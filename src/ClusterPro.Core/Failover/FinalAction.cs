namespace ClusterPro.Failover;

/// <summary>
/// The final action taken when reactivation and failover thresholds are used up (CLUSTERPRO 最終動作).
/// The library never shuts a machine down itself: every action except <see cref="None"/>,
/// <see cref="NoneContinue"/> and <see cref="StopGroup"/> reaches the host's <see cref="IFinalActionHandler"/>.
/// </summary>
public enum FinalAction
{
    /// <summary>Do nothing. On a group resource failure: do not go on to the next resource.</summary>
    None,

    /// <summary>Do nothing, and go on with the next resource of the group (group resources only).</summary>
    NoneContinue,

    /// <summary>Stop (deactivate) the group on this node.</summary>
    StopGroup,

    /// <summary>Stop the cluster service on this node (the host's failover manager stops).</summary>
    StopClusterService,

    /// <summary>Stop the cluster service and shut down the operating system.</summary>
    StopClusterServiceAndShutdownOs,

    /// <summary>Stop the cluster service and reboot the operating system.</summary>
    StopClusterServiceAndRebootOs,
}

/// <summary>A final action handed to the host.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Source">The resource, monitor or resolver that asked for it.</param>
/// <param name="NodeName">The node it applies to.</param>
/// <param name="GroupName">The group concerned, when there is one.</param>
/// <param name="Reason">Why, in one sentence (includes the result code and message).</param>
public sealed record FinalActionRequest(FinalAction Action, string Source, string NodeName, string? GroupName, string Reason);

/// <summary>
/// Implemented by the host: carries out a final action (stop the service, shut down or reboot the OS).
/// Register your own with <c>builder.UseFinalActionHandler&lt;T&gt;()</c>; the default only logs.
/// </summary>
public interface IFinalActionHandler
{
    /// <summary>Carries out <paramref name="request"/>.</summary>
    /// <param name="request">The action and why.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when the action has been handed over.</returns>
    Task ExecuteAsync(FinalActionRequest request, CancellationToken cancellationToken = default);
}
