using ClusterPro.Failover;

namespace ClusterPro.Monitoring;

/// <summary>The step of the recovery ladder a monitor took.</summary>
public enum RecoveryStep
{
    /// <summary>No recovery was needed or taken.</summary>
    None,

    /// <summary>The target was reactivated.</summary>
    Reactivate,

    /// <summary>A failover of the target's group was requested.</summary>
    Failover,

    /// <summary>The final action was executed.</summary>
    FinalAction,

    /// <summary>The final action was due but suppressed because no other node is running normally.</summary>
    FinalActionSuppressed,

    /// <summary>Recovery was due but skipped because the target is not active on this node.</summary>
    SkippedTargetInactive,

    /// <summary>Every step is used up; nothing more is done until the monitor comes back normal.</summary>
    Exhausted,
}

/// <summary>A recovery target: a resource, a group, or this server.</summary>
/// <param name="Kind">What kind of target.</param>
/// <param name="Name">Resource or group name; <c>LocalServer</c> for the server.</param>
public sealed record RecoveryTarget(RecoveryTargetKind Kind, string Name);

/// <summary>
/// Implemented by the failover manager (or the host): carries out the recovery steps a monitor asks for.
/// </summary>
public interface IRecoveryActions
{
    /// <summary>Whether <paramref name="target"/> is active on this node (recovery is skipped when not).</summary>
    /// <param name="target">The target.</param>
    /// <returns>True when active.</returns>
    bool IsActive(RecoveryTarget target);

    /// <summary>Whether the resource gating a <see cref="MonitorTiming.WhileActive"/> monitor is active on this node.</summary>
    /// <param name="resourceName">The resource name.</param>
    /// <returns>True when active.</returns>
    bool IsResourceActive(string resourceName);

    /// <summary>
    /// Whether another node is running normally and could take over what this node would give up (the final action is
    /// suppressed when none is). A failover manager counts only peers it hears that have not stepped down and that may
    /// run this node's groups.
    /// </summary>
    bool IsAnyOtherNodeHealthy { get; }

    /// <summary>Reactivates the target (deactivate, then activate).</summary>
    /// <param name="target">The target.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when the reactivation succeeded.</returns>
    Task<bool> ReactivateAsync(RecoveryTarget target, CancellationToken cancellationToken = default);

    /// <summary>Moves the target's group to another node.</summary>
    /// <param name="target">The target.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>True when the failover was started.</returns>
    Task<bool> RequestFailoverAsync(RecoveryTarget target, CancellationToken cancellationToken = default);

    /// <summary>Executes a final action.</summary>
    /// <param name="request">The action and why.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that completes when the action is handed over.</returns>
    Task ExecuteFinalActionAsync(FinalActionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Optional hook run before each recovery step (CLUSTERPRO's "run a script before reactivation / failover / final action").</summary>
    /// <param name="monitorName">The monitor.</param>
    /// <param name="recoveryStep">The step about to run.</param>
    /// <param name="target">The target.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task.</returns>
    Task BeforeRecoveryStepAsync(string monitorName, RecoveryStep recoveryStep, RecoveryTarget target, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;
}
