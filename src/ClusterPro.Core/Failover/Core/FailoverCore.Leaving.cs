using ClusterPro.Groups;

namespace ClusterPro.Failover;

/// <summary>
/// Leaving: a planned stop, a final action or a step-down releases every group in order, hands each to the next node
/// and says so in the last heartbeats; a node-wide final action never takes down the last node that can run a group.
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>A final action was asked for (by a monitor, a group resource or the host).</summary>
    /// <param name="time">Now.</param>
    /// <param name="request">The action.</param>
    public void RequestFinalAction(CoreTime time, FinalActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _t = time;
        switch (request.Action)
        {
            case FinalAction.None or FinalAction.NoneContinue:
                break;
            case FinalAction.StopGroup:
                Emit(FailoverEventKind.FinalAction, request.Source, $"{request.Action}: {request.Reason}");
                if (request.GroupName is not null && _groups.TryGetValue(request.GroupName, out var g) && g.Eligible)
                {
                    g.StopRequested = true;
                }

                break;
            default:
                if (!OnMinoritySide() && LastHomeOf() is { } last)
                {
                    // The spec's rule for monitors, applied to every node-wide final action: never take down the last
                    // node that can run a group. A node on a minority side cannot know whether it is the last: the
                    // majority may hold the group by now, so there the final action goes ahead.
                    Emit(FailoverEventKind.FinalAction, request.Source, $"{request.Action} suppressed: no other running node can run {last}. {request.Reason}", false);
                    break;
                }

                Emit(FailoverEventKind.FinalAction, request.Source, $"{request.Action}: {request.Reason}");
                BeginLeave($"final action {request.Action} from {request.Source}", request);
                break;
        }

        Evaluate();
    }

    /// <summary>Leave the cluster in order: release every group (to the next node), say so, then stop.</summary>
    /// <param name="time">Now.</param>
    /// <param name="reason">Why.</param>
    public void Leave(CoreTime time, string reason)
    {
        _t = time;
        BeginLeave(reason, null);
        Evaluate();
    }

    /// <summary>
    /// Whether another node could take over: for <paramref name="group"/>, a running peer that may run it; when null,
    /// for every group this node may run, a running peer that may run it (so a node-wide final action never takes down
    /// the last home of a group). Peers that stepped down, stand by or are not heard directly do not count.
    /// </summary>
    /// <param name="group">The group, or <see langword="null"/> for the whole node.</param>
    /// <returns>True when another node could take over.</returns>
    public bool IsAnotherNodeHealthy(string? group)
    {
        if (group is not null)
        {
            return _groups.TryGetValue(group, out var g) && HealthyPeerFor(g) is not null;
        }

        return LastHomeOf() is null;
    }

    /// <summary>A group this node may run that no healthy peer may run, or null.</summary>
    private string? LastHomeOf()
    {
        foreach (var g in _groupList)
        {
            if (g.Eligible && HealthyPeerFor(g) is null)
            {
                return g.Name;
            }
        }

        return null;
    }

    private string? HealthyPeerFor(Group g)
    {
        foreach (var p in _peerList)
        {
            if (HeardDirectly(p) && p.Mode == NodeMode.Running && !p.Standby && !p.OperatorStandby && g.CanRunRank[p.Rank])
            {
                return p.Name;
            }
        }

        return null;
    }

    private static int Severity(FinalAction a) => a switch
    {
        FinalAction.StopClusterServiceAndShutdownOs => 3,
        FinalAction.StopClusterServiceAndRebootOs => 2,
        FinalAction.StopClusterService => 1,
        _ => 0,
    };

    private void BeginLeave(string reason, FinalActionRequest? action)
    {
        if (Mode == NodeMode.Stopped)
        {
            return;
        }

        if (action is not null && (_leaveAction is null || Severity(action.Action) > Severity(_leaveAction.Action)))
        {
            _leaveAction = action;
        }

        if (Mode != NodeMode.Leaving)
        {
            Mode = NodeMode.Leaving;
            _leaveReason = reason;
            _leaveSettledAt = _t.Now + (2 * _s.HeartbeatInterval);
            Broadcast();
        }
    }

    private void DriveLeave()
    {
        var pending = false;
        foreach (var g in _groupList)
        {
            if (g.Op != 0)
            {
                if (g.OpKind == GroupOperation.Activate && !g.OpIsReactivation && !g.CancelRequested)
                {
                    g.CancelRequested = true;
                    _effects.Add(new CancelEffect(g.Op));
                }

                pending = true;
            }
            else if (g.Mine is { Holding: true, State: not GroupClaimState.Stuck })
            {
                Release(g, HandoffTarget(g), failed: false, stop: false, $"{Self} is leaving: {_leaveReason}");
                pending = true;
            }
            else if (g.Mine is { State: GroupClaimState.Stuck } && g.ReleaseFailures < LeaveReleaseAttempts)
            {
                // A release that failed is tried a few more times before the node leaves holding it (peers then
                // fence it before taking the group over).
                if (_t.Now >= g.RetryReleaseAt)
                {
                    Release(g, g.ReleaseTarget, g.ReleaseFailed, g.ReleaseStops, $"{Self} is leaving: releasing {g.Name} again");
                }

                pending = true;
            }
        }

        if (pending)
        {
            return;
        }

        if (_leaveAction is { Source: not PartitionSource } && _t.Now < _leaveSettledAt)
        {
            // Give peers time to hear that this node is leaving (and this node to hear whether they are too).
            return;
        }

        if (_leaveAction is { Source: not PartitionSource } wanted && !OnMinoritySide() && LastHomeOf() is { } last)
        {
            // The final action was asked for while a peer looked able to take over; it no longer is.
            Emit(FailoverEventKind.FinalAction, wanted.Source, $"{wanted.Action} cancelled: no other running node can run {last} any more; {Self} stays in the cluster.", false);
            _leaveAction = null;
            Mode = NodeMode.Running;
            Broadcast();
            return;
        }

        Mode = NodeMode.Stopped;
        Broadcast();
        if (_leaveAction is { } action)
        {
            _effects.Add(new FinalActionEffect(action));
        }

        Emit(FailoverEventKind.Stopped, Self, $"{Self} left the cluster: {_leaveReason}");
        _effects.Add(new StoppedEffect(_leaveReason));
    }
}
