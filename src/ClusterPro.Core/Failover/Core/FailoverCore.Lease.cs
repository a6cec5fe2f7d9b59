using ClusterPro.Groups;
using ClusterPro.Witness;

namespace ClusterPro.Failover;

/// <summary>
/// The witness: with one, a group is activated only while this node holds its lease. The owner renews every third of
/// the lease duration and starts releasing the group a safety margin before anyone else could judge the lease expired;
/// a would-be owner takes the lease only when it is absent, released, or has shown the same record version for a full
/// lease duration by this node's own clock (no clock sync across nodes). Lease calls have three outcomes; an unknown
/// renewal is not a loss (the owner keeps the group until its deadline), an unknown acquisition is read back.
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>How many times a release whose answer was lost is tried again.</summary>
    private const int LeaseReleaseAttempts = 3;

    private long _leaseVersions;

    /// <summary>A lease call finished.</summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The lease effect's id.</param>
    /// <param name="read">For a read: what it found.</param>
    /// <param name="write">For a write: how it ended.</param>
    public void LeaseCompleted(CoreTime time, long id, LeaseRead? read, LeaseWrite? write)
    {
        _t = time;
        var g = Array.Find(_groupList, x => x.Lease.Op == id);
        if (g is not null)
        {
            var lease = g.Lease;
            var call = lease.Call;
            var sentAt = lease.SentAt;
            lease.Op = 0;
            switch (call)
            {
                case LeaseCall.Read when read is not null:
                    Observed(g, read);
                    break;
                case LeaseCall.Acquire when write is not null:
                    Acquired(g, write, sentAt);
                    break;
                case LeaseCall.Renew when write is not null:
                    Renewed(g, write, sentAt);
                    break;
                case LeaseCall.Release when write is not null:
                    Released(g, write);
                    break;
            }
        }

        Evaluate();
    }

    /// <summary>
    /// Asked by the driver before every step of an activation (each resource, each retry): how long the step may run.
    /// <see cref="TimeSpan.Zero"/> means stop now — the activation is no longer wanted (cancelled, or not this node's
    /// any more), or, with a witness, its lease is gone, being released, or past the time by which this node must have
    /// let go (a process frozen mid-activation for longer than its lease wakes here, and must not write anything). With
    /// a witness the step may run until then; without one, <see langword="null"/>: no bound but the step's own timeout.
    /// </summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The activation's (or reactivation's) effect id.</param>
    /// <returns>The step's budget.</returns>
    public TimeSpan? ActivationStepBudget(CoreTime time, long id)
    {
        _t = time;
        var g = Array.Find(_groupList, x => x.Op == id);
        if (g is null || g.OpKind != GroupOperation.Activate || g.CancelRequested || Mode == NodeMode.Stopped)
        {
            return TimeSpan.Zero;
        }

        if (!_s.Witness)
        {
            return null;
        }

        var lease = g.Lease;
        return !lease.Held || lease.Releasing || _t.Now >= lease.Deadline ? TimeSpan.Zero : lease.Deadline - _t.Now;
    }

    /// <summary>Whether this node may activate the group now: it holds the lease and has fenced its previous owner.</summary>
    private bool LeaseReady(Group g)
    {
        var lease = g.Lease;
        lease.WantedAt = _t.Now;
        if (lease.Held && lease.Releasing)
        {
            // Once a release is on its way the lease is not this node's to use: a new tenure starts from a read.
            return false;
        }

        if (lease.Held && g.Best is { } best && best.Epoch >= lease.HeldEpoch && !(Is(best.Holder, Self) && best.Incarnation == Incarnation))
        {
            // The claims have gone past this lease's epoch (its record was deleted or restored while this node could
            // not hear the others): a claim in this epoch would yield to the newer one at once, over and over. The lease
            // is let go (this node no longer wants it as it is), and the next tenure takes an epoch above the claims'.
            lease.WantedAt = TimeSpan.MinValue / 2;
            return false;
        }

        if (lease.Held)
        {
            return _t.Now < lease.Deadline && (!_s.FencingConfigured || !OwesFence(g, fence: false));
        }

        if (lease.Op == 0)
        {
            if (IsFree(g))
            {
                var observed = lease.Observed;
                var epoch = Math.Max(observed?.Epoch ?? 0, g.MaxEpoch) + 1;
                var acquisition = new LeaseAcquisition(g.Name, Self, lease.ObservedAbsent ? null : observed!.RecordVersion, NewRecordVersion(), epoch);
                lease.Pending = acquisition;
                Send(g, new LeaseEffect(NextId(), g.Name, LeaseCall.Acquire, acquisition));
            }
            else
            {
                ReadIfDue(g);
            }
        }

        return false;
    }

    /// <summary>A node next in line keeps reading the lease, so that its expiry is already being timed when the owner dies.</summary>
    private void WatchLease(Group g)
    {
        if (!_s.Witness || g.Lease.Op != 0 || g.Lease.Held || Mode != NodeMode.Running)
        {
            return;
        }

        var owner = g.Best is { Holding: true } best ? best.Holder : null;
        if (IsBestCandidate(g, owner))
        {
            ReadIfDue(g);
        }
    }

    /// <summary>Why the group cannot stay active here for its lease, or null.</summary>
    private string? LeaseProblem(Group g)
    {
        var lease = g.Lease;
        if (!lease.Held || lease.Releasing)
        {
            return lease.LostTo is { } other
                ? $"The lease of {g.Name} is held by {other} now; releasing it here."
                : $"{Self} does not hold the lease of {g.Name}; releasing it here.";
        }

        return _t.Now >= lease.Deadline
            ? $"The lease of {g.Name} was not renewed in time (last renewed {Seconds(_t.Now - lease.RenewedAt)} s ago); releasing it here before another node can take it."
            : null;
    }

    /// <summary>Renews held leases, releases leases of groups this node let go, and drops leases that ran out.</summary>
    private void DriveLeases()
    {
        if (!_s.Witness)
        {
            return;
        }

        foreach (var g in _groupList)
        {
            var lease = g.Lease;
            if (!g.Eligible || lease.Op != 0)
            {
                continue;
            }

            if (lease.Held && _t.Now >= lease.Deadline)
            {
                lease.Held = false;
                lease.Releasing = false;
                Emit(FailoverEventKind.LeaseLost, g.Name, $"{Self} could not renew the lease of {g.Name} (epoch {lease.HeldEpoch}) in time; it releases the group.", false);
                continue;
            }

            // A lease is kept while the group is held here, while this node is about to activate it, and while a fence it
            // owes for the lease is on its way: a stop cannot be called back, so letting go then (the fenced node is heard
            // again, first in line) would let that node take the group back only to be powered off under it (nemesis
            // seed 118303).
            var holding = g.Mine is { Holding: true };
            var aboutToActivate = !lease.Releasing && _t.Now - lease.WantedAt <= 2 * _s.HeartbeatInterval;
            if (lease.Held && !lease.Releasing && (holding || aboutToActivate || FencingFor(lease)))
            {
                if (_t.Now >= lease.NextRenewAt)
                {
                    Send(g, new LeaseEffect(NextId(), g.Name, LeaseCall.Renew, Epoch: lease.HeldEpoch, RecordVersion: NewRecordVersion()));
                }
            }
            else if (lease.Held && _t.Now >= lease.NextReleaseAt)
            {
                // The group is released (or stopped) here: give the lease up so the next owner need not wait it out.
                lease.Releasing = true;
                Send(g, new LeaseEffect(NextId(), g.Name, LeaseCall.Release, Epoch: lease.HeldEpoch, RecordVersion: NewRecordVersion()));
            }
        }
    }

    /// <summary>Whether a fence this node owes for the lease is running now.</summary>
    private bool FencingFor(LeaseState lease)
    {
        foreach (var name in lease.FenceOwed.Keys)
        {
            if (_peers.TryGetValue(name, out var p) && p.FenceOp != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Fences, before this node activates a group whose lease it took, every node that may still hold it.</summary>
    private void DriveLeaseFencing()
    {
        if (!_s.FencingConfigured)
        {
            return;
        }

        foreach (var g in _groupList)
        {
            if (g.Lease.Held && !g.Lease.Releasing && g.Mine is not { Holding: true })
            {
                OwesFence(g, fence: true);
            }
        }
    }

    /// <summary>
    /// Whether some node may still hold the group, so that this node, holding its lease, must not activate it yet: the
    /// lease's previous owner, and every peer whose own last claim holds the group and that is either not heard (it may
    /// be serving on the far side of a split) or stuck releasing it, until it is fenced (or started again); a peer that is
    /// heard while activating, active or releasing is waited for (it sees the newer claim and lets go). With
    /// <paramref name="fence"/>, fences those that need it.
    /// </summary>
    private bool OwesFence(Group g, bool fence)
    {
        var lease = g.Lease;
        var owed = false;
        foreach (var p in _peerList)
        {
            var claim = p.OwnClaims.Find(c => ReferenceEquals(GroupOf(c.Group), g) && c.Holding);

            // A node named when the lease was taken is cleared by a fence, a restart, or by saying (heard now) that it
            // holds the group no more.
            var named = lease.FenceOwed.TryGetValue(p.Name, out var incarnation) && !Gone(p, lease, incarnation) && !(claim is null && HeardDirectly(p) && p.IncarnationKnown);
            if (claim is not null && HeardDirectly(p) && claim.State != GroupClaimState.Stuck)
            {
                // Heard, and letting go (or about to, on seeing the newer claim): wait for it.
                owed = true;
                continue;
            }

            if (!named && (claim is null || Gone(p, lease, 0)))
            {
                continue;
            }

            owed = true;
            if (fence && p.FenceOp == 0 && _t.Now >= p.NextFenceAt)
            {
                p.FenceOp = NextId();
                Emit(FailoverEventKind.FenceStarted, p.Name, $"Stopping {p.Name}, which may still hold {g.Name}, before taking it over in epoch {lease.HeldEpoch}.");
                _effects.Add(new FenceEffect(p.FenceOp, p.Name));
            }
        }

        return owed;
    }

    /// <summary>
    /// Whether a node that may have held the group no longer can: fenced since this node took the lease, or started again
    /// since it was named (a new run proves the old process, and what it held, is gone).
    /// </summary>
    private static bool Gone(Peer p, LeaseState lease, long incarnation) =>
        (p.Fenced && p.FencedAt >= lease.AcquiredAt) || (incarnation != 0 && p.IncarnationKnown && p.Incarnation != incarnation);

    /// <summary>Whether the lease may be taken: none, released, left by an earlier run of this node, or unchanged for a full lease duration.</summary>
    private bool IsFree(Group g)
    {
        var lease = g.Lease;
        if (!lease.Read || _t.Now - lease.LastReadAt > _s.LeaseRenewInterval + _s.LeaseCallTimeout)
        {
            return false;
        }

        if (lease.ObservedAbsent)
        {
            return true;
        }

        var observed = lease.Observed!;
        return observed.Owner is null || Is(observed.Owner, Self) || _t.Now - lease.ObservedSince >= _s.LeaseDuration;
    }

    private void ReadIfDue(Group g)
    {
        var lease = g.Lease;
        if (!lease.Read || _t.Now - lease.LastReadAt >= _s.LeaseRenewInterval)
        {
            Send(g, new LeaseEffect(NextId(), g.Name, LeaseCall.Read));
        }
    }

    private void Send(Group g, LeaseEffect effect)
    {
        if ((effect.Acquisition?.RecordVersion ?? effect.RecordVersion) is { } written)
        {
            g.Lease.Written.Enqueue(written);
            if (g.Lease.Written.Count > 8)
            {
                g.Lease.Written.Dequeue();
            }
        }

        g.Lease.Op = effect.Id;
        g.Lease.Call = effect.Call;
        g.Lease.SentAt = _t.Now;
        _effects.Add(effect);
    }

    private string NewRecordVersion() => $"{Self}-{Incarnation:x}-{++_leaseVersions}";

    private void Observed(Group g, LeaseRead read)
    {
        var lease = g.Lease;
        if (!read.Answered)
        {
            return;
        }

        lease.Read = true;
        lease.LastReadAt = _t.Now;
        if (read.Record is null)
        {
            lease.ObservedAbsent = true;
            lease.Observed = null;
            return;
        }

        var record = read.Record;
        if (record.Epoch > g.MaxEpoch)
        {
            g.MaxEpoch = record.Epoch;
        }

        if (lease.Pending is { } pending && record.RecordVersion == pending.RecordVersion)
        {
            // An acquisition whose answer was lost did happen.
            Take(g, pending, lease.PendingSentAt);
            return;
        }

        lease.Pending = null;
        if (lease.ObservedAbsent || lease.Observed is null || lease.Observed.RecordVersion != record.RecordVersion)
        {
            // A new record version: the expiry clock starts again now (the time this node first saw it).
            lease.ObservedSince = _t.Now;
        }

        lease.ObservedAbsent = false;
        lease.Observed = record;
    }

    private void Acquired(Group g, LeaseWrite write, TimeSpan sentAt)
    {
        var lease = g.Lease;
        var pending = lease.Pending;
        switch (write.Outcome)
        {
            case LeaseOutcome.Held when pending is not null:
                Take(g, pending, sentAt);
                break;
            case LeaseOutcome.NotHeld:
                lease.Pending = null;
                if (write.Current is { } current)
                {
                    Observed(g, new LeaseRead(true, current, write.Detail));
                }
                else
                {
                    lease.Read = false;
                }

                break;
            default:
                // Unknown: it may have happened. Read it back; the pending acquisition is recognised by its record version.
                lease.PendingSentAt = sentAt;
                lease.Read = false;
                break;
        }
    }

    private void Take(Group g, LeaseAcquisition acquisition, TimeSpan sentAt)
    {
        var lease = g.Lease;
        var previous = lease.ObservedAbsent ? null : lease.Observed?.Owner;
        if (previous is null && !lease.ObservedAbsent && lease.Observed is { } observed && lease.Written.Contains(observed.RecordVersion))
        {
            // Released by this node itself: the tenure before its own is what matters (a fence it still owed).
            previous = Self;
        }

        // This run's own earlier tenure (not that of an earlier run of this node, which restarted while holding the lease).
        var ownTenure = previous is not null && Is(previous, Self) && (lease.Observed is not { } held || lease.Written.Contains(held.RecordVersion));
        lease.Pending = null;
        lease.Held = true;
        lease.HeldEpoch = acquisition.Epoch;
        if (!ownTenure)
        {
            lease.AcquiredAt = _t.Now;
        }
        lease.RenewedAt = sentAt;
        lease.Deadline = sentAt + _s.LeaseDuration - _s.LeaseSafetyMargin;
        lease.NextRenewAt = sentAt + _s.LeaseRenewInterval;
        lease.LostTo = null;
        lease.ReleaseAttempts = 0;
        lease.Releasing = false;
        // Who may still hold the group: the lease's previous owner, and the holder of the newest claim this node knows.
        // Taking the lease back from this node's own earlier tenure keeps what that tenure still owed.
        if (!ownTenure)
        {
            lease.FenceOwed.Clear();
        }

        foreach (var holder in new[] { previous, g.Best is { Holding: true } best ? best.Holder : null })
        {
            if (holder is not null && !Is(holder, Self) && _peers.TryGetValue(holder, out var p))
            {
                lease.FenceOwed[p.Name] = p.IncarnationKnown ? p.Incarnation : 0;
            }
        }

        // And every lost peer that may hold the group: an earlier tenure (another node's, or an earlier run of this one)
        // may have ended before it fenced a node that could not let go, and a node this one does not hear could be that
        // node — if this run never heard it, or last heard it holding the group. A peer last heard holding nothing of
        // it could only have taken the group since by taking the lease, and then it is the lease's previous owner,
        // fenced above; stopping it would take a healthy node out for nothing (nemesis seed 118211). One heard again
        // holding nothing of the group is cleared (see OwesFence).
        foreach (var p in _peerList)
        {
            if (g.CanRunRank[p.Rank] && IsLost(p) && (!p.EverHeard || p.OwnClaims.Exists(c => c.Holding && ReferenceEquals(GroupOf(c.Group), g))))
            {
                lease.FenceOwed[p.Name] = p.IncarnationKnown ? p.Incarnation : 0;
            }
        }

        lease.Observed = new LeaseRecord(g.Name, Self, acquisition.RecordVersion, acquisition.Epoch);
        lease.ObservedAbsent = false;
        if (acquisition.Epoch > g.MaxEpoch)
        {
            g.MaxEpoch = acquisition.Epoch;
        }

        Emit(FailoverEventKind.LeaseAcquired, g.Name, $"{Self} holds the lease of {g.Name} in epoch {acquisition.Epoch}{(lease.FenceOwed.Count > 0 && _s.FencingConfigured ? $"; {string.Join(", ", lease.FenceOwed.Keys)}, which may still hold it, is fenced first" : string.Empty)}.");
    }

    private void Renewed(Group g, LeaseWrite write, TimeSpan sentAt)
    {
        var lease = g.Lease;
        switch (write.Outcome)
        {
            case LeaseOutcome.Held:
                lease.RenewedAt = sentAt;
                lease.Deadline = sentAt + _s.LeaseDuration - _s.LeaseSafetyMargin;
                lease.NextRenewAt = sentAt + _s.LeaseRenewInterval;
                break;
            case LeaseOutcome.NotHeld:
                lease.Held = false;
                lease.Releasing = false;
                lease.LostTo = write.Current?.Owner;
                if (write.Current is { } current)
                {
                    Observed(g, new LeaseRead(true, current, write.Detail));
                }

                Emit(FailoverEventKind.LeaseLost, g.Name, $"The lease of {g.Name} is no longer {Self}'s ({write.Detail}); it releases the group.", false);
                break;
            default:
                // Unknown is not a loss: try again soon; the deadline still stands.
                lease.NextRenewAt = _t.Now + (_s.HeartbeatInterval / 2);
                break;
        }
    }

    private void Released(Group g, LeaseWrite write)
    {
        var lease = g.Lease;
        if (write.Outcome == LeaseOutcome.Unknown && ++lease.ReleaseAttempts < LeaseReleaseAttempts)
        {
            lease.NextReleaseAt = _t.Now + _s.HeartbeatInterval;
            return;
        }

        lease.Held = false;
        lease.Releasing = false;
        lease.Read = false;
    }

    /// <summary>What this node knows of one group's lease.</summary>
    private sealed class LeaseState
    {
        public long Op { get; set; }

        public LeaseCall Call { get; set; }

        public TimeSpan SentAt { get; set; }

        /// <summary>Whether a read has answered since the last reset.</summary>
        public bool Read { get; set; }

        public TimeSpan LastReadAt { get; set; }

        public bool ObservedAbsent { get; set; }

        public LeaseRecord? Observed { get; set; }

        /// <summary>When this node first saw <see cref="Observed"/>'s record version.</summary>
        public TimeSpan ObservedSince { get; set; }

        public LeaseAcquisition? Pending { get; set; }

        public TimeSpan PendingSentAt { get; set; }

        public bool Held { get; set; }

        public long HeldEpoch { get; set; }

        public TimeSpan AcquiredAt { get; set; }

        public TimeSpan RenewedAt { get; set; }

        public TimeSpan Deadline { get; set; }

        public TimeSpan NextRenewAt { get; set; }

        public TimeSpan NextReleaseAt { get; set; }

        /// <summary>When this node last wanted to activate the group with this lease.</summary>
        public TimeSpan WantedAt { get; set; } = TimeSpan.MinValue / 2;

        public int ReleaseAttempts { get; set; }

        /// <summary>A release was sent (its answer may have been lost): the lease is no longer used for activation.</summary>
        public bool Releasing { get; set; }

        public string? LostTo { get; set; }

        /// <summary>Nodes that may still hold the group (by name, with the run this node knew), to fence before activating.</summary>
        public Dictionary<string, long> FenceOwed { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>The record versions this node wrote last (a released record of its own is told apart by them).</summary>
        public Queue<string> Written { get; } = new();
    }
}
