using ClusterPro.Monitoring;

namespace ClusterPro.Failover;

/// <summary>
/// The monitors' recovery actions and the operator's levers: reactivation, failover and final actions go through the
/// same per-group serialization as the core's own operations.
/// </summary>
public sealed partial class FailoverManager
{
    /// <summary>Moves a group this node holds to another node (a manual failover or failback).</summary>
    /// <param name="group">The group.</param>
    /// <param name="targetNode">The node to move it to, or <see langword="null"/> for the next node by priority.</param>
    /// <returns>Whether the move started (the group is active here, and the target runs, hears this node and may run the group).</returns>
    public bool MoveGroup(string group, string? targetNode = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        bool started;
        lock (_sync)
        {
            started = _core.RequestMove(Now(), group, "operator", targetNode, failure: false);
        }

        Dispatch();
        return started;
    }

    /// <inheritdoc />
    public bool IsActive(RecoveryTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_sync)
        {
            return target.Kind switch
            {
                RecoveryTargetKind.LocalServer => true,
                RecoveryTargetKind.Group => _core.LocalState(target.Name) == GroupClaimState.Active,
                _ => GroupOf(target.Name) is { } g && _core.LocalState(g.Name) == GroupClaimState.Active && g.IsResourceActive(target.Name),
            };
        }
    }

    /// <inheritdoc />
    public bool IsResourceActive(string resourceName)
    {
        var group = GroupOf(resourceName);
        if (group is null || !group.IsResourceActive(resourceName))
        {
            return false;
        }

        lock (_sync)
        {
            return _core.Holds(group.Name);
        }
    }

    /// <inheritdoc />
    public async Task<bool> ReactivateAsync(RecoveryTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var group = target.Kind == RecoveryTargetKind.Group ? target.Name : GroupOf(target.Name)?.Name;
        if (group is null)
        {
            return false;
        }

        TaskCompletionSource<bool> done;
        lock (_sync)
        {
            var id = _core.RequestReactivation(Now(), group, target.Kind == RecoveryTargetKind.Group ? string.Empty : target.Name);
            if (id == 0)
            {
                return false;
            }

            done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            _reactivations[id] = done;
        }

        Dispatch();
        return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> RequestFailoverAsync(RecoveryTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var group = target.Kind == RecoveryTargetKind.Group ? target.Name : GroupOf(target.Name)?.Name;
        if (group is null)
        {
            return Task.FromResult(false);
        }

        bool started;
        lock (_sync)
        {
            started = _core.RequestMove(Now(), group, $"failover requested for {target.Name}");
        }

        Dispatch();
        return Task.FromResult(started);
    }

    /// <inheritdoc />
    public Task ExecuteFinalActionAsync(FinalActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_sync)
        {
            _core.RequestFinalAction(Now(), request);
        }

        Dispatch();
        return Task.CompletedTask;
    }

    /// <summary>Routes the final actions that a group's resources take into the decision core, so the node leaves in order.</summary>
    private sealed class FinalActionAdapter(FailoverManager manager) : IFinalActionHandler
    {
        public Task ExecuteAsync(FinalActionRequest request, CancellationToken cancellationToken = default) =>
            manager.ExecuteFinalActionAsync(request, cancellationToken);
    }
}
