using ClusterPro.Partition;

namespace ClusterPro.Failover;

/// <summary>
/// Network-partition verdicts: when a peer is lost, an episode probes the NP targets and the pure
/// <see cref="SurvivalDecider"/> decides who survives (take over, stand by, step down).
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>A probe finished.</summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The probe effect's id.</param>
    /// <param name="reachable">Whether any resolver reached its target.</param>
    /// <param name="detail">What the resolvers said.</param>
    public void ProbeCompleted(CoreTime time, long id, bool reachable, string detail)
    {
        _t = time;
        if (_episode is { } e && e.ProbeOp == id && e.Decision is null)
        {
            e.ProbeOp = 0;
            e.Detail = detail;
            if (_maintenance)
            {
                // Maintenance began while the probe was out: no verdict while it is on (a failed probe must not make
                // this node step down); the probes start afresh when it ends.
                e.Attempts = 0;
            }
            else if (reachable)
            {
                // The verdict waits for a settled view (UpdatePartition): a fast answer must not count a peer that is
                // about to be lost too.
                e.Probe = NetworkPartitionProbe.Reachable;
            }
            else if (e.Attempts < Math.Max(1, _s.ProbeAttempts))
            {
                e.NextProbeAt = _t.Now + _s.ProbeRetryInterval;
            }
            else
            {
                Decide(e, NetworkPartitionProbe.Unreachable);
            }
        }

        Evaluate();
    }

    /// <summary>Whether, by what this node sees now, it is on a minority side (majority on, three or more nodes).</summary>
    private bool OnMinoritySide()
    {
        // With a witness there are no sides: the lease decides who holds a group.
        if (!_s.UseMajority || _s.Witness)
        {
            return false;
        }

        var total = 1;
        var side = 1;
        var masterHere = SelfRank == 0;
        foreach (var p in _peerList)
        {
            total++;
            if (IsAlive(p))
            {
                side++;
                masterHere |= p.Rank == 0;
            }
        }

        return total >= 3 && (2 * side < total || (2 * side == total && !masterHere));
    }

    private void UpdatePartition()
    {
        ulong lost = 0;
        for (var i = 0; i < _peerList.Length; i++)
        {
            // A peer being fenced stays lost until the fence answers, even if it is heard meanwhile (a paused process
            // that resumed while StopInstances was in flight): a fence that succeeds is used at once; one that fails
            // lets the peer back.
            var p = _peerList[i];
            if (IsLost(p) || (p.FenceOp != 0 && _episode is { } current && (current.Mask & (1UL << i)) != 0))
            {
                lost |= 1UL << i;
            }
        }

        if (lost == 0)
        {
            if (_episode is not null)
            {
                _episode = null;
                if (_standby)
                {
                    _standby = false;
                    Emit(FailoverEventKind.PartitionVerdict, Self, "Every peer is visible again; this node may hold groups again.");
                }
            }

            return;
        }

        if (_episode is null || _episode.Mask != lost)
        {
            var names = _peerList.Where((_, i) => (lost & (1UL << i)) != 0).Select(p => p.Name).ToArray();
            _episode = new Episode(lost, names, _t.Now);
        }

        var e = _episode;
        if (e.Decision is not null || Mode == NodeMode.Leaving)
        {
            return;
        }

        if (!_s.ResolversConfigured)
        {
            e.Probe = NetworkPartitionProbe.NotConfigured;
        }
        else if (e.Probe is null && e.ProbeOp == 0 && _t.Now >= e.NextProbeAt)
        {
            e.ProbeOp = NextId();
            e.Attempts++;
            _effects.Add(new ProbeEffect(e.ProbeOp));
        }

        if (e.Probe is { } probe && ViewSettled(e))
        {
            Decide(e, probe);
        }
    }

    /// <summary>
    /// How long after a loss began every peer still counted alive has either confirmed it or been lost too: a peer that
    /// is still heard sends a heartbeat within an interval of noticing the loss itself, which it does within an interval
    /// of this node (their last heartbeats from the lost peer were sent at most an interval apart); a peer that is not
    /// heard any more is lost within the heartbeat timeout.
    /// </summary>
    private TimeSpan SettleTime => _s.HeartbeatTimeout + _s.HeartbeatInterval;

    /// <summary>
    /// Whether the view this episode is about has settled, so that a verdict may be taken on it: every peer this node
    /// counts on its side agrees — it was heard after the loss began and does not hear any of the lost peers either —
    /// or the settle time has passed since the loss began. Until then a peer that this node still counts may merely not
    /// have timed out yet (the isolated node's own timeouts fire an interval apart), and a verdict on that view could
    /// fence a healthy node of the majority.
    /// </summary>
    private bool ViewSettled(Episode e)
    {
        if (_t.Now - e.StartedAt >= SettleTime)
        {
            return true;
        }

        foreach (var p in _peerList)
        {
            if (IsAlive(p) && !AgreesOnLoss(p, e))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a peer on this node's side was heard after the loss began and reports the same loss (hears none of the lost peers).</summary>
    private bool AgreesOnLoss(Peer p, Episode e)
    {
        if (!HeardDirectly(p) || p.HeardAt < e.StartedAt)
        {
            return false;
        }

        var sees = p.Sees;
        for (var i = 0; i < sees.Count; i++)
        {
            var rank = RankOf(sees[i].Node);
            if (rank >= 0 && rank != SelfRank && (e.Mask & (1UL << (rank < SelfRank ? rank : rank - 1))) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private void Decide(Episode e, NetworkPartitionProbe probe)
    {
        // Every configured node counts, including those that left in order: two sides that each saw a third node
        // leave must not both think they hold a majority of the rest.
        var visible = new List<string>();
        foreach (var p in _peerList)
        {
            if (IsAlive(p))
            {
                visible.Add(p.Name);
            }
        }

        var d = SurvivalDecider.Decide(new PartitionView(Self, _s.Nodes, visible, probe, _s.UseMajority, _s.FencingConfigured), _s.FenceDelay);
        e.Decision = d;

        // Where no majority decides (two nodes, or majority off), two sides that both reach the NP target both take over
        // and fence each other: the fence delay grows with the priority rank, so the side holding the higher-priority
        // node always fences first (with majority, only one side takes over).
        var majority = _s.UseMajority && _s.Nodes.Count >= 3;
        e.FenceNotBefore = _t.Now + (majority ? d.FenceDelay : d.FenceDelay * SelfRank);
        Emit(FailoverEventKind.PartitionVerdict, e.Key, $"{d.Action}: {d.Reason} {e.Detail}".Trim(), d.Action != SurvivalAction.StepDown);
        switch (d.Action)
        {
            case SurvivalAction.StepDown:
                Emit(FailoverEventKind.SteppedDown, Self, d.Reason, false);
                BeginLeave(d.Reason, new FinalActionRequest(_s.PartitionAction, PartitionSource, Self, null, d.Reason));
                break;
            case SurvivalAction.StandBy:
                if (!_standby)
                {
                    _standby = true;
                    Broadcast();
                }

                break;
            default:
                if (_standby)
                {
                    _standby = false;
                    Broadcast();
                }

                break;
        }
    }

    private bool LostResolved()
    {
        if (_episode is null)
        {
            return true;
        }

        if (_episode.Decision is not { Action: SurvivalAction.TakeOver } d)
        {
            return false;
        }

        if (!d.MustFence)
        {
            return true;
        }

        foreach (var name in _episode.Lost)
        {
            if (!FencedForTakeover(_peers[name]))
            {
                return false;
            }
        }

        return true;
    }
}
