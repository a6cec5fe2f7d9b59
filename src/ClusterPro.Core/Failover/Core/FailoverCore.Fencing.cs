using ClusterPro.Groups;
using ClusterPro.Partition;

namespace ClusterPro.Failover;

/// <summary>
/// Fencing: a lost peer is stopped before this node takes over (after the fence delay of the lower-priority side);
/// a failed fence is tried again with backoff until the peer is stopped or returns.
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>A fence finished.</summary>
    /// <param name="time">Now.</param>
    /// <param name="id">The fence effect's id.</param>
    /// <param name="result">The outcome.</param>
    public void FenceCompleted(CoreTime time, long id, FenceResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _t = time;
        var peer = Array.Find(_peerList, p => p.FenceOp == id);
        if (peer is not null)
        {
            peer.FenceOp = 0;
            if (result.Fenced)
            {
                peer.FencedIncarnation = peer.Incarnation;
                peer.FencedAt = _t.Now;
                peer.Fenced = true;
                peer.FenceFailures = 0;
                Emit(FailoverEventKind.FenceCompleted, peer.Name, $"{result.Code} {result.Message}");
            }
            else
            {
                peer.FenceFailures++;
                var wait = FenceBackoff(peer.FenceFailures);
                peer.NextFenceAt = _t.Now + wait;
                Emit(FailoverEventKind.FenceCompleted, peer.Name, $"{result.Code} {result.Message} Fencing again in {Seconds(wait)} s unless {peer.Name} returns.", false);
            }
        }

        Evaluate();
    }

    private TimeSpan FenceBackoff(int failures)
    {
        var ticks = _s.FenceRetryMin.Ticks * (1L << Math.Min(failures - 1, 16));
        return TimeSpan.FromTicks(Math.Min(ticks, _s.FenceRetryMax.Ticks));
    }

    private static bool IsFenced(Peer p) => p.Fenced && p.FencedIncarnation == p.Incarnation;

    /// <summary>
    /// Fenced since this episode began, and recently enough that, had it been started again since, it could not yet
    /// have activated anything (a restarted node waits the start-up wait first). A node that cannot hear a peer cannot
    /// see it restart, so an older fence is repeated before a takeover (stopping a stopped instance is quick).
    /// </summary>
    private bool FencedForTakeover(Peer p) =>
        IsFenced(p) && _episode is { } e && p.FencedAt >= e.StartedAt && _t.Now - p.FencedAt <= _s.StartupWait;

    private bool FencedInEpisode(Peer p) => IsFenced(p) && _episode is { } e && p.FencedAt >= e.StartedAt;

    private void DriveFencing(bool wantsToTake)
    {
        if (_episode is not { Decision: { Action: SurvivalAction.TakeOver, MustFence: true } } e)
        {
            return;
        }

        var holdsAny = false;
        foreach (var g in _groupList)
        {
            holdsAny |= g.Mine is { Holding: true } || (g.Op != 0 && g.OpKind == GroupOperation.Activate);
        }

        if (!holdsAny && !wantsToTake)
        {
            return;
        }

        foreach (var name in e.Lost)
        {
            var p = _peers[name];
            var done = wantsToTake ? FencedForTakeover(p) : FencedInEpisode(p);
            if (done || p.FenceOp != 0 || _t.Now < e.FenceNotBefore || _t.Now < p.NextFenceAt)
            {
                continue;
            }

            p.FenceOp = NextId();
            Emit(FailoverEventKind.FenceStarted, p.Name, $"Stopping {p.Name}.");
            _effects.Add(new FenceEffect(p.FenceOp, p.Name));
        }
    }
}
