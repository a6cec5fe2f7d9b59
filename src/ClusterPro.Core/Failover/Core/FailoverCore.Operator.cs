namespace ClusterPro.Failover;

/// <summary>
/// An operator's levers, as inputs of the core: stand this node by (its groups move to the next node by a planned
/// hand-off, and it takes none until unstandby), maintenance for the whole cluster (the monitors pause, nothing fails
/// over, starts, fences or fails back; every group stays where it is, unless its node stops in order and hands it over),
/// a move of a group this node holds, and a cleanup
/// of failure counts. Standby belongs to the node and is announced in its heartbeats; maintenance belongs to the cluster
/// and travels in every heartbeat with a version, so a node that missed the command, or started later, adopts the newest.
/// </summary>
internal sealed partial class FailoverCore
{
    private bool _operatorStandby;
    private bool _maintenance;
    private long _maintenanceVersion;
    private TimeSpan _standbyEndedAt = TimeSpan.MinValue / 2;

    /// <summary>Whether an operator put this node on standby (it holds and takes no group).</summary>
    public bool OperatorStandby => _operatorStandby;

    /// <summary>Whether the cluster is in maintenance (monitors paused, no automatic decision).</summary>
    public bool Maintenance => _maintenance;

    /// <summary>The version of the maintenance setting this node follows (the newest it has seen).</summary>
    public long MaintenanceVersion => _maintenanceVersion;

    /// <summary>Takes back the operator's settings this node had before it stopped (called once, before the first input).</summary>
    /// <param name="standby">Whether the node was on standby.</param>
    /// <param name="maintenance">Whether the cluster was in maintenance, as this node last knew.</param>
    /// <param name="maintenanceVersion">That setting's version.</param>
    public void RestoreOperatorState(bool standby, bool maintenance, long maintenanceVersion)
    {
        _operatorStandby = standby;
        _maintenance = maintenance;
        _maintenanceVersion = Math.Max(0, maintenanceVersion);
        if (standby || maintenance)
        {
            Emit(FailoverEventKind.OperatorCommand, Self, $"Restored from the last run: {(standby ? $"{Self} is on standby" : $"{Self} is not on standby")}, maintenance {(maintenance ? "on" : "off")}.");
        }
    }

    /// <summary>An operator puts this node on standby, or takes it off.</summary>
    /// <param name="time">Now.</param>
    /// <param name="on">Standby on or off.</param>
    /// <param name="force">Go ahead even when a group this node holds has no other node to move to (it then stops).</param>
    /// <returns>Whether it was accepted, and what happens.</returns>
    public OperatorOutcome SetStandby(CoreTime time, bool on, bool force)
    {
        _t = time;
        OperatorOutcome outcome;
        if (on == _operatorStandby)
        {
            outcome = new(true, on ? $"{Self} is already on standby." : $"{Self} is not on standby.");
        }
        else if (on && !force && Array.Find(_groupList, g => g.Mine is { Holding: true } && HandoffTarget(g) is null) is { } stranded)
        {
            outcome = new(false, $"No other node can take {stranded.Name} now (it must be running, hear {Self}, not be on standby and be one of the group's nodes); standby would stop it. Start or unstandby another node first, or force it.");
        }
        else
        {
            _operatorStandby = on;
            if (!on)
            {
                _standbyEndedAt = _t.Now;
            }

            var what = on
                ? $"{Self} is on standby: its groups move to the next node and it takes none until unstandby."
                : $"{Self} is off standby: it may take groups again.";
            Emit(FailoverEventKind.OperatorCommand, Self, what);
            OperatorStateChanged();
            outcome = new(true, what);
        }

        Evaluate();
        return outcome;
    }

    /// <summary>An operator turns maintenance on or off for the whole cluster.</summary>
    /// <param name="time">Now.</param>
    /// <param name="on">Maintenance on or off.</param>
    /// <returns>Whether it was accepted, and what happens.</returns>
    public OperatorOutcome SetMaintenance(CoreTime time, bool on)
    {
        _t = time;
        OperatorOutcome outcome;
        if (on == _maintenance)
        {
            outcome = new(true, on ? "Maintenance is already on." : "Maintenance is already off.");
        }
        else
        {
            ApplyMaintenance(on, _maintenanceVersion + 1, Self);
            outcome = new(true, on
                ? "Maintenance is on: monitors pause and nothing fails over; every group stays where it is."
                : "Maintenance is off: monitors run again and the cluster repairs what changed.");
        }

        Evaluate();
        return outcome;
    }

    /// <summary>An operator moves a group this node holds to another node (a planned hand-off: no fencing, no timeout).</summary>
    /// <param name="time">Now.</param>
    /// <param name="group">The group.</param>
    /// <param name="target">The node to move it to, or <see langword="null"/> for the next one by priority.</param>
    /// <returns>Whether the move started, or why not.</returns>
    public OperatorOutcome MoveByOperator(CoreTime time, string group, string? target)
    {
        _t = time;
        var outcome = CheckMove(group, target, out var g, out var to);
        if (outcome.Accepted)
        {
            Emit(FailoverEventKind.GroupHandedOff, g!.Name, $"{Self} releases {g.Name} for {to} (operator move).");
            Release(g, to, failed: false, stop: false, $"moving to {to} (operator)");
        }

        Evaluate();
        return outcome;
    }

    /// <summary>
    /// An operator clears failure state: a group that failed to come up whole is applied again now, a release that
    /// failed is tried again now, and a group stopped by a final action here may be started again by the node that
    /// should run it.
    /// </summary>
    /// <param name="time">Now.</param>
    /// <param name="group">One group, or <see langword="null"/> for every group.</param>
    /// <returns>What was cleared.</returns>
    public OperatorOutcome Cleanup(CoreTime time, string? group)
    {
        _t = time;
        if (group is not null && GroupOf(group) is null)
        {
            return new(false, $"{group} is not a group ({string.Join(", ", _groupList.Select(x => x.Name))}).");
        }

        var cleared = new List<string>();
        foreach (var g in _groupList)
        {
            if (group is not null && !Is(g.Name, group))
            {
                continue;
            }

            if (g.Degraded || g.ActivationFailures > 0)
            {
                g.ActivationFailures = 0;
                g.RetryActivateAt = _t.Now;
                cleared.Add($"{g.Name}: applied again now");
            }

            if (g.Mine is { State: GroupClaimState.Stuck })
            {
                g.ReleaseFailures = 0;
                g.RetryReleaseAt = _t.Now;
                cleared.Add($"{g.Name}: released again now");
            }
            else if (g.Best is { State: GroupClaimState.Stopped } stopped && g.Op == 0 && g.Mine is not { Holding: true })
            {
                // Stopped here, or by another node (perhaps one that has started again since, whose own claim is gone):
                // a release of this node's supersedes the stop.
                SetMine(g, GroupClaimState.Released, ReferenceEquals(stopped, g.Mine) ? stopped.Epoch : stopped.Epoch + 1);
                cleared.Add($"{g.Name}: no longer stopped; the node that should run it starts it");
            }
        }

        var what = cleared.Count == 0 ? "nothing to clear in the failover core" : string.Join("; ", cleared);
        Emit(FailoverEventKind.OperatorCommand, group ?? Self, $"Cleanup{(group is null ? string.Empty : " of " + group)}: {what}.");
        Evaluate();
        return new(true, what);
    }

    /// <summary>Whether <paramref name="group"/> can be moved from this node now, and where.</summary>
    private OperatorOutcome CheckMove(string group, string? target, out Group? g, out string? to)
    {
        to = null;
        g = GroupOf(group);
        if (g is null)
        {
            return new(false, $"{group} is not a group ({string.Join(", ", _groupList.Select(x => x.Name))}).");
        }

        if (_maintenance)
        {
            return new(false, "Maintenance is on: nothing moves until it is off.");
        }

        if (g.Mine is not { State: GroupClaimState.Active } || Mode != NodeMode.Running)
        {
            return new(false, $"{Self} does not hold {g.Name} as an active group ({(g.Mine?.State.ToString() ?? "never held here")}).");
        }

        if (g.Op != 0)
        {
            return new(false, $"An operation on {g.Name} is running on {Self}; try again when it has ended.");
        }

        if (target is not null && Is(target, Self))
        {
            return new(false, $"{g.Name} is already on {Self}.");
        }

        to = target is null ? HandoffTarget(g) : (IsHandoffTarget(g, target) ? Canonical(target) : null);
        return to is not null
            ? new(true, $"{Self} releases {g.Name} for {to}.")
            : new(false, target is null
                ? $"No other node can take {g.Name} now (it must be running, hear {Self}, not be on standby and be one of the group's nodes)."
                : $"{target} cannot take {g.Name} now (it must be running, hear {Self}, not be on standby and be one of the group's nodes).");
    }

    /// <summary>
    /// Whether this node, taken off standby, has caught up with what its peers did meanwhile: each peer it hears directly
    /// has been heard again since (its claims with it), or a heartbeat timeout has passed (a peer not heard since is lost
    /// by then, or heard through another). Until then it takes no group: a heartbeat lost just before would leave it
    /// believing a group that a peer took while it stood by is still free.
    /// </summary>
    private bool CaughtUpAfterStandby()
    {
        if (_t.Now - _standbyEndedAt >= _s.HeartbeatTimeout)
        {
            return true;
        }

        foreach (var p in _peerList)
        {
            if (HeardDirectly(p) && p.HeardAt < _standbyEndedAt)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A peer's heartbeat carries the cluster's maintenance setting; the newest version wins.</summary>
    private void LearnMaintenance(HeartbeatMessage m)
    {
        if (m.MaintenanceVersion > _maintenanceVersion)
        {
            ApplyMaintenance(m.Maintenance, m.MaintenanceVersion, m.Node);
            _changed = true;
        }
    }

    private void ApplyMaintenance(bool on, long version, string from)
    {
        var changed = on != _maintenance;
        _maintenance = on;
        _maintenanceVersion = version;
        if (changed)
        {
            Emit(FailoverEventKind.OperatorCommand, Self, on
                ? $"Maintenance on ({(Is(from, Self) ? "asked here" : "from " + from)}): monitors pause and nothing fails over."
                : $"Maintenance off ({(Is(from, Self) ? "asked here" : "from " + from)}): monitors run again and the cluster repairs what changed.");
        }

        OperatorStateChanged();
    }

    private void OperatorStateChanged()
    {
        _effects.Add(new OperatorStateEffect(_operatorStandby, _maintenance, _maintenanceVersion));
        Broadcast();
    }

    /// <summary>
    /// In maintenance nothing is decided automatically, with two exceptions. Safety: a group whose lease this node no
    /// longer holds is still released (the lease may be taken by a node that has not heard of maintenance), a group
    /// another node holds with a newer claim is still let go (the far side of a healed split, a process that was frozen),
    /// a release that failed is still tried again (the node gave the group up), and an activation that must not finish is
    /// cancelled. A hand-off: a group a node handed to this one as it stopped in order (an operator stopping a node for
    /// patching) is taken, so that stopping a node does not stop its service.
    /// </summary>
    private void DecideInMaintenance()
    {
        foreach (var g in _groupList)
        {
            if (!g.Eligible)
            {
                continue;
            }

            if (g.Mine is { State: GroupClaimState.Stuck } && g.Op == 0)
            {
                if (_t.Now >= g.RetryReleaseAt)
                {
                    Release(g, g.ReleaseTarget, g.ReleaseFailed, g.ReleaseStops, $"releasing {g.Name} again after a failed deactivation");
                }

                continue;
            }

            if (g.Op == 0 && g.Mine is not { Holding: true } && Mode == NodeMode.Running && !_standby && !_operatorStandby
                && g.Best is { State: GroupClaimState.Released, Target: { } to } handed && Is(to, Self) && (!_s.Witness || LeaseReady(g)))
            {
                Activate(g, $"{handed.Holder} handed it to {Self} (in maintenance only hand-offs are taken)");
                continue;
            }

            if (g.Mine is not { State: GroupClaimState.Activating or GroupClaimState.Active } || MustLetGoInMaintenance(g) is not { } why)
            {
                continue;
            }

            if (g.Op != 0)
            {
                if (g.OpKind == Groups.GroupOperation.Activate && !g.CancelRequested)
                {
                    g.CancelRequested = true;
                    _effects.Add(new CancelEffect(g.Op));
                }

                continue;
            }

            Emit(FailoverEventKind.GroupConflict, g.Name, why, false);
            Release(g, null, failed: false, stop: false, why);
        }
    }

    /// <summary>Why this node must let go of a group even in maintenance (its lease is gone, or another node holds it with a newer claim), or null.</summary>
    private string? MustLetGoInMaintenance(Group g)
    {
        if (_s.Witness && LeaseProblem(g) is { } lease)
        {
            return lease;
        }

        return g.Best is { Holding: true } best && g.Mine is { } mine && !ReferenceEquals(best, mine) && best.Epoch >= mine.Epoch && !Is(best.Holder, Self)
            ? $"{g.Name} is claimed by {best.Holder} with a newer claim (epoch {best.Epoch} over {mine.Epoch}); releasing it here, maintenance or not."
            : null;
    }
}
