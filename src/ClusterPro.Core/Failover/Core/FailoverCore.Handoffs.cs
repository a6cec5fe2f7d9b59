namespace ClusterPro.Failover;

/// <summary>
/// Hand-offs: a monitor's failover, an operator's move and failback hand a group to a named node that hears this one.
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>A monitor asks to move a group to another node.</summary>
    /// <param name="time">Now.</param>
    /// <param name="group">The group.</param>
    /// <param name="source">The monitor (or operator) asking.</param>
    /// <param name="target">The node to move it to, or <see langword="null"/> for the next one by priority.</param>
    /// <param name="failure">The group failed here (a monitor's failover), rather than a planned move.</param>
    /// <returns>Whether the move started.</returns>
    public bool RequestMove(CoreTime time, string group, string source, string? target = null, bool failure = true)
    {
        _t = time;
        var started = false;
        if (_maintenance)
        {
            // Monitors are paused in maintenance; a request that was on its way when it began is dropped.
            Emit(FailoverEventKind.GroupHandedOff, group, $"Maintenance is on: {group} stays on {Self} ({source}).", false);
            return false;
        }

        if (_groups.TryGetValue(group, out var busy) && busy.Mine is { State: GroupClaimState.Active } && busy.Op != 0 && failure && !busy.Degraded)
        {
            // An operation on the group is running; once it is done, the group is applied again (or moved then).
            Emit(FailoverEventKind.GroupHandedOff, busy.Name, $"{busy.Name} is busy ({source}); {Self} applies it again once the running operation ends.", false);
            MarkDegraded(busy);
        }

        if (_groups.TryGetValue(group, out var g) && g.Mine is { State: GroupClaimState.Active } && g.Op == 0 && Mode == NodeMode.Running)
        {
            var to = target is null ? HandoffTarget(g) : (IsHandoffTarget(g, target) ? Canonical(target) : null);
            if (to is null)
            {
                Emit(FailoverEventKind.GroupHandedOff, g.Name, target is null
                    ? $"No other node is up to take {g.Name} ({source}); it stays on {Self}, which applies it again."
                    : $"{target} cannot take {g.Name} now (it must be running, hear {Self} and be one of the group's nodes); it stays on {Self}.", false);
                if (failure && !g.Degraded)
                {
                    // It failed here and cannot move: apply it again (with backoff) until it is whole.
                    MarkDegraded(g);
                }
            }
            else
            {
                Emit(FailoverEventKind.GroupHandedOff, g.Name, $"{Self} releases {g.Name} for {to} ({source}).");
                Release(g, to, failure, stop: false, $"moving to {to} ({source})");
                started = true;
            }
        }

        Evaluate();
        return started;
    }

    private bool IsHandoffTarget(Group g, string node) =>
        _peers.TryGetValue(node, out var p) && IsHandoffTarget(g, p);

    private bool IsHandoffTarget(Group g, Peer p) =>
        g.CanRunRank[p.Rank] && HearsMe(p) && p.Mode == NodeMode.Running && !p.Standby && !p.OperatorStandby;

    private string? HandoffTarget(Group g)
    {
        foreach (var rank in g.NodeRanks)
        {
            if (rank != SelfRank && IsHandoffTarget(g, _byRank[rank]!))
            {
                return _s.Nodes[rank];
            }
        }

        return null;
    }

    private string? FailbackTarget(Group g)
    {
        foreach (var rank in g.NodeRanks)
        {
            if (rank == SelfRank)
            {
                return null;
            }

            var p = _byRank[rank]!;
            if (IsHandoffTarget(g, p) && p.State == PeerState.Up && _t.Now - p.RunningSince >= _s.FailbackSettle)
            {
                return _s.Nodes[rank];
            }
        }

        return null;
    }
}
