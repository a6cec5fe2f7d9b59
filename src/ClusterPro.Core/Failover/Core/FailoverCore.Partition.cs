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
            if (reachable)
            {
                Decide(e, NetworkPartitionProbe.Reachable);
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
            if (IsLost(_peerList[i]))
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
            Decide(e, NetworkPartitionProbe.NotConfigured);
        }
        else if (e.ProbeOp == 0 && _t.Now >= e.NextProbeAt)
        {
            e.ProbeOp = NextId();
            e.Attempts++;
            _effects.Add(new ProbeEffect(e.ProbeOp));
        }
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
        e.FenceNotBefore = _t.Now + d.FenceDelay;
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
