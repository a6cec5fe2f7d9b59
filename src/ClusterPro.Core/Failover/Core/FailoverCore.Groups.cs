using ClusterPro.Groups;

namespace ClusterPro.Failover;

/// <summary>
/// Group ownership: the epochs and claims every node gossips, who should own each group, and the activations and
/// releases that follow (start-up, takeover, conflicts, degraded groups applied again).
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>A group operation finished (or was cancelled).</summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The operation effect's id.</param>
    /// <param name="outcome">What it did.</param>
    public void GroupOperationCompleted(CoreTime time, long id, GroupOperationOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        _t = time;
        var g = Array.Find(_groupList, x => x.Op == id);
        if (g is not null)
        {
            var op = g.OpKind;
            g.Op = 0;
            g.CancelRequested = false;
            if (op == GroupOperation.Activate)
            {
                ActivationFinished(g, outcome);
            }
            else
            {
                DeactivationFinished(g, outcome);
            }
        }

        Evaluate();
    }

    /// <summary>A reactivation finished.</summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The reactivation effect's id.</param>
    /// <param name="succeeded">Whether it succeeded.</param>
    public void ReactivationCompleted(CoreTime time, long id, bool succeeded)
    {
        _t = time;
        var g = Array.Find(_groupList, x => x.Op == id);
        if (g is not null)
        {
            g.Op = 0;
            g.CancelRequested = false;
            if (!succeeded && g.Mine is { State: GroupClaimState.Active })
            {
                MarkDegraded(g);
            }
        }

        Evaluate();
    }

    /// <summary>A monitor asks to reactivate a resource of an active group.</summary>
    /// <param name="time">Now.</param>
    /// <param name="group">The group.</param>
    /// <param name="resource">The resource.</param>
    /// <returns>The effect id to wait for, or 0 when the group is not active here or busy.</returns>
    public long RequestReactivation(CoreTime time, string group, string resource)
    {
        _t = time;
        if (!_groups.TryGetValue(group, out var g) || g.Mine is not { State: GroupClaimState.Active } || g.Op != 0 || Mode != NodeMode.Running || _standby || _maintenance)
        {
            return 0;
        }

        g.Op = NextId();
        g.OpKind = GroupOperation.Activate;
        g.OpIsReactivation = true;
        _effects.Add(new ReactivateEffect(g.Op, g.Name, resource));
        return g.Op;
    }

    private int Compare(GroupClaim a, GroupClaim b)
    {
        var c = a.Epoch.CompareTo(b.Epoch);
        if (c != 0)
        {
            return c;
        }

        c = RankOf(b.Holder).CompareTo(RankOf(a.Holder));
        return c != 0 ? c : a.Version.CompareTo(b.Version);
    }

    private void Merge(Group g, GroupClaim c)
    {
        if (c.Epoch > g.MaxEpoch)
        {
            g.MaxEpoch = c.Epoch;
            _changed = true;
        }

        if (g.Best is null || Compare(c, g.Best) > 0)
        {
            g.Best = c;
            _changed = true;
            _claimChanges++;
        }
    }

    private static bool SameClaims(List<GroupClaim> a, List<GroupClaim> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Epoch != b[i].Epoch || a[i].State != b[i].State || a[i].Version != b[i].Version || !string.Equals(a[i].Group, b[i].Group, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void SetMine(Group g, GroupClaimState state, long epoch, string? target = null, bool failed = false)
    {
        g.Mine = new GroupClaim(g.Name, epoch, Self, Incarnation, state, ++_version, target, failed);
        _claimChanges++;
        Merge(g, g.Mine);
        Broadcast();
    }

    private void DecideGroups()
    {
        if (_maintenance)
        {
            DecideInMaintenance();
            return;
        }

        // With a witness the lease decides who may activate; without one, a lost peer must be resolved first.
        var resolved = _s.Witness || LostResolved();
        var wantsToTake = false;
        foreach (var g in _groupList)
        {
            if (!g.Eligible)
            {
                continue;
            }

            if (g.Op != 0)
            {
                // An activation (or a monitor's reactivation) that must not finish here any more is cancelled; the group
                // is released once it has stopped.
                if (g.OpKind == GroupOperation.Activate && !g.CancelRequested && ShouldGiveUp(g) is not null)
                {
                    g.CancelRequested = true;
                    _effects.Add(new CancelEffect(g.Op));
                }

                continue;
            }

            if (g.Mine is { Holding: true } mine)
            {
                if (mine.State == GroupClaimState.Stuck)
                {
                    // A release that failed is tried again (with backoff) until it succeeds; until then peers treat
                    // this node as holding the group, and fence it before taking the group over.
                    if (_t.Now >= g.RetryReleaseAt)
                    {
                        Release(g, g.ReleaseTarget, g.ReleaseFailed, g.ReleaseStops, $"releasing {g.Name} again after a failed deactivation");
                    }

                    continue;
                }

                var why = ShouldGiveUp(g);
                if (why is null && _operatorStandby && mine.State == GroupClaimState.Active)
                {
                    // On standby: the group moves to the next node by a planned hand-off (or stops, when forced with none).
                    var next = HandoffTarget(g);
                    Emit(FailoverEventKind.GroupHandedOff, g.Name, next is null
                        ? $"{Self} is on standby and no other node can take {g.Name}; it stops."
                        : $"{Self} is on standby: it releases {g.Name} for {next}.", next is not null);
                    Release(g, next, failed: false, stop: false, $"{Self} is on standby");
                }
                else if (why is not null)
                {
                    if (!_standby)
                    {
                        Emit(FailoverEventKind.GroupConflict, g.Name, why, false);
                    }

                    Release(g, null, failed: false, stop: false, why);
                }
                else if (g.StopRequested)
                {
                    Release(g, null, failed: true, stop: true, "final action StopGroup");
                }
                else if (mine.State == GroupClaimState.Active && g.Settings.AutoFailback && FailbackTarget(g) is { } back)
                {
                    Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{Self} fails {g.Name} back to {back}, which has returned.");
                    Release(g, back, failed: false, stop: false, $"failback to {back}");
                }
                else if (mine.State == GroupClaimState.Active && g.Degraded && _t.Now >= g.RetryActivateAt)
                {
                    // Part of the group failed to come up and no other node could take it: try again until it does.
                    g.Op = NextId();
                    g.OpKind = GroupOperation.Activate;
                    g.OpIsReactivation = false;
                    g.OpIsRetry = true;
                    _effects.Add(new GroupOperationEffect(g.Op, g.Name, GroupOperation.Activate, mine.Epoch, "activating the rest of the group again"));
                }

                continue;
            }

            g.StopRequested = false;
            if (Mode != NodeMode.Running || _standby || _operatorStandby)
            {
                // Not a candidate now: the orphan grace starts afresh once it is one again (its view may be behind).
                g.OrphanSince = null;
                continue;
            }

            var need = NeedsOwner(g, out var reason, out var exclude, out var immediate);
            if (!need)
            {
                g.OrphanSince = null;
                WatchLease(g);
                continue;
            }

            // A group handed to this node is taken by it, whoever else could run it; otherwise the best candidate takes it.
            var handedToMe = g.Best is { State: GroupClaimState.Released, Target: { } to } && Is(to, Self);
            if (!handedToMe && !IsBestCandidate(g, exclude))
            {
                g.OrphanSince = null;
                continue;
            }

            if (!resolved)
            {
                wantsToTake = true;
                continue;
            }

            if (!immediate)
            {
                g.OrphanSince ??= _t.Now;
                if (_t.Now - g.OrphanSince.Value < _s.OrphanGrace)
                {
                    continue;
                }
            }

            if (!CaughtUpAfterStandby() || (_s.Witness && !LeaseReady(g)))
            {
                continue;
            }

            Activate(g, reason);
        }

        if (_s.Witness)
        {
            DriveLeaseFencing();
        }
        else
        {
            DriveFencing(wantsToTake);
        }
    }

    /// <summary>Why this node must let go of a group it holds (or is activating), or null.</summary>
    private string? ShouldGiveUp(Group g)
    {
        if (_s.Witness && g.Mine is { State: GroupClaimState.Activating or GroupClaimState.Active } && LeaseProblem(g) is { } lease)
        {
            return lease;
        }

        if (_standby)
        {
            return $"{Self} is on a minority side; releasing {g.Name} until the majority is back.";
        }

        if (g.Best is { } best && g.Mine is { } mine && !ReferenceEquals(best, mine) && best.Epoch >= mine.Epoch)
        {
            return Is(best.Holder, Self)
                ? $"A newer claim on {g.Name} exists (epoch {best.Epoch}); releasing it here."
                : $"{g.Name} is claimed by {best.Holder} with a newer claim (epoch {best.Epoch} over {mine.Epoch}); releasing it here.";
        }

        return null;
    }

    private enum Owner
    {
        None,
        Mine,
        Alive,
        Lost,
        Void,
        Released,
        Stopped,
    }

    private Owner OwnerOf(Group g)
    {
        var best = g.Best;
        if (best is null)
        {
            return Owner.None;
        }

        if (!best.Holding)
        {
            return best.State == GroupClaimState.Stopped ? Owner.Stopped : Owner.Released;
        }

        if (Is(best.Holder, Self))
        {
            return best.Incarnation == Incarnation ? Owner.Mine : Owner.Void;
        }

        var p = _byRank[RankOf(best.Holder)]!;
        if (p.Retired.Contains(best.Incarnation) ||
            (p.IncarnationKnown && p.Incarnation != best.Incarnation && _t.Now - p.IncarnationSeenAt <= _s.HeartbeatTimeout))
        {
            // Claims of an earlier run: the holder runs another one now, so the old process is gone.
            return Owner.Void;
        }

        if (IsLost(p))
        {
            return Owner.Lost;
        }

        return IsAlive(p) ? Owner.Alive : Owner.Lost;
    }

    private bool NeedsOwner(Group g, out string reason, out string? exclude, out bool immediate)
    {
        exclude = null;
        immediate = false;
        reason = string.Empty;
        switch (OwnerOf(g))
        {
            case Owner.None:
                reason = "start-up";
                immediate = true;
                return g.Settings.AutoStart;
            case Owner.Lost:
                reason = $"takeover from {g.Best!.Holder}";
                immediate = true;
                return g.Settings.AutoFailover;
            case Owner.Void:
                reason = $"{g.Best!.Holder} restarted without it";
                return g.Settings.AutoFailover;
            case Owner.Released:
                var best = g.Best!;
                if (best.Target is { } target)
                {
                    if (Is(target, Self))
                    {
                        reason = $"{best.Holder} handed it to {Self}";
                        immediate = true;
                        return true;
                    }

                    // While the node it was handed to is alive it may be taking it (perhaps unseen, its claim still on
                    // the way): nobody else may. If it is lost, the usual way applies (probe, fence, then take over).
                    if (_peers.TryGetValue(target, out var t) && IsAlive(t) && !IsLost(t) && t.Mode is NodeMode.Running or NodeMode.Starting)
                    {
                        return false;
                    }
                }

                reason = $"{best.Holder} released it";
                exclude = best.Failed ? best.Holder : null;
                return true;
            default:
                return false;
        }
    }

    private bool IsBestCandidate(Group g, string? exclude)
    {
        var first = FirstCandidate(g, exclude) ?? (exclude is null ? null : FirstCandidate(g, null));
        return first is not null && Is(first, Self);
    }

    private string? FirstCandidate(Group g, string? exclude)
    {
        var excluded = exclude is null ? -1 : RankOf(exclude);
        foreach (var rank in g.NodeRanks)
        {
            if (rank == excluded)
            {
                continue;
            }

            if (rank == SelfRank)
            {
                return Self;
            }

            // A peer that stands by (minority) still counts: it may come back any moment, and two nodes must never
            // both think they are the one to start a group. Only lost, leaving and departed peers are passed over, and
            // peers an operator put on standby (they take nothing until told).
            var p = _byRank[rank]!;
            if (IsAlive(p) && !IsLost(p) && !p.OperatorStandby && p.Mode is NodeMode.Running or NodeMode.Starting)
            {
                return p.Name;
            }
        }

        return null;
    }

    private void Activate(Group g, string reason)
    {
        var (cause, peer) = ActivationCause(g);
        var lostAt = OwnerOf(g) == Owner.Lost ? _peers[g.Best!.Holder].LastHeardOrStart(_startedAt) : (TimeSpan?)null;
        if (OwnerOf(g) == Owner.Released && g.Best!.Target is { } t && Is(t, Self))
        {
            Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{g.Best.Holder} handed {g.Name} to {Self}.");
        }

        g.OrphanSince = null;
        g.TakeoverFrom = lostAt;
        g.Lease.FenceOwed.Clear();
        SetMine(g, GroupClaimState.Activating, _s.Witness ? g.Lease.HeldEpoch : g.MaxEpoch + 1);
        g.Op = NextId();
        g.OpKind = GroupOperation.Activate;
        g.OpIsReactivation = false;
        g.OpIsRetry = false;
        g.Degraded = false;
        g.ActivationFailures = 0;
        _effects.Add(new GroupOperationEffect(g.Op, g.Name, GroupOperation.Activate, g.Mine!.Epoch, reason) { Cause = cause, Peer = peer });
    }

    private void Release(Group g, string? target, bool failed, bool stop, string reason)
    {
        g.ReleaseTarget = target;
        g.ReleaseFailed = failed;
        g.ReleaseStops = stop;
        g.StopRequested = false;
        SetMine(g, GroupClaimState.Deactivating, g.Mine!.Epoch);
        g.Op = NextId();
        g.OpKind = GroupOperation.Deactivate;
        g.OpIsReactivation = false;
        var (cause, peer) = ReleaseCause(target, failed, stop);
        _effects.Add(new GroupOperationEffect(g.Op, g.Name, GroupOperation.Deactivate, g.Mine.Epoch, reason) { Cause = cause, Peer = peer });
    }

    private void ActivationFinished(Group g, GroupOperationOutcome o)
    {
        if (g.OpIsReactivation)
        {
            return;
        }

        var epoch = g.Mine!.Epoch;
        var retry = g.OpIsRetry;
        g.OpIsRetry = false;
        if (retry && o.Outcome != GroupOutcome.Succeeded && o.Outcome is not null && o.FinalAction != FinalAction.StopGroup)
        {
            // Still not complete: hand it to another node if one can take it now, else try again later.
            MarkDegraded(g);
            if (o.Outcome == GroupOutcome.FailoverRequested && HandoffTarget(g) is { } next && Mode == NodeMode.Running)
            {
                Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{Self} releases {g.Name} for {next} (activation failed here).");
                Release(g, next, failed: true, stop: false, $"activation failed; moving to {next}");
            }

            return;
        }

        if (o.Outcome != GroupOutcome.Succeeded)
        {
            MarkDegraded(g);
        }
        else
        {
            g.Degraded = false;
            g.ActivationFailures = 0;
        }

        switch (o.Outcome)
        {
            case GroupOutcome.Succeeded:
                SetMine(g, GroupClaimState.Active, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, true, g.TakeoverFrom is { } from ? _t.Now - from : null);
                break;
            case GroupOutcome.FailoverRequested:
                SetMine(g, GroupClaimState.Active, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, false);
                if (HandoffTarget(g) is { } to && Mode == NodeMode.Running)
                {
                    Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{Self} releases {g.Name} for {to} (activation failed here).");
                    Release(g, to, failed: true, stop: false, $"activation failed; moving to {to}");
                }
                else
                {
                    Emit(FailoverEventKind.GroupHandedOff, g.Name, $"No other node is up to take {g.Name}; it stays on {Self} as it is.", false);
                }

                break;
            case GroupOutcome.FinalActionTaken when o.FinalAction == FinalAction.StopGroup:
                SetMine(g, o.AnyActive ? GroupClaimState.Stuck : GroupClaimState.Stopped, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, false);
                break;
            case GroupOutcome.FinalActionTaken:
                SetMine(g, GroupClaimState.Active, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, false);
                break;
            default:
                // Cancelled or threw: whatever part was applied is released by the next evaluation.
                SetMine(g, GroupClaimState.Active, epoch);
                Emit(FailoverEventKind.GroupActivated, g.Name, o.Summary, false);
                if (ShouldGiveUp(g) is null && Mode == NodeMode.Running)
                {
                    Release(g, null, failed: true, stop: false, "activation did not finish");
                }

                break;
        }

        g.TakeoverFrom = null;
    }

    private void MarkDegraded(Group g)
    {
        g.Degraded = true;
        g.ActivationFailures++;
        g.RetryActivateAt = _t.Now + FenceBackoff(g.ActivationFailures);
    }

    private void DeactivationFinished(Group g, GroupOperationOutcome o)
    {
        g.Degraded = false;
        g.ActivationFailures = 0;
        var epoch = g.Mine!.Epoch;
        if (o.Outcome == GroupOutcome.Succeeded)
        {
            g.ReleaseFailures = 0;
            SetMine(g, g.ReleaseStops ? GroupClaimState.Stopped : GroupClaimState.Released, epoch, g.ReleaseTarget, g.ReleaseFailed);
            Emit(FailoverEventKind.GroupDeactivated, g.Name, o.Summary);
        }
        else
        {
            g.ReleaseFailures++;
            var wait = FenceBackoff(g.ReleaseFailures);
            g.RetryReleaseAt = _t.Now + wait;
            SetMine(g, GroupClaimState.Stuck, epoch);
            Emit(FailoverEventKind.GroupDeactivated, g.Name, $"{o.Summary} Releasing it again in {Seconds(wait)} s.", false);
        }
    }
}
