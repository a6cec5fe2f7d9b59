namespace ClusterPro.Failover;

/// <summary>
/// Membership and liveness: the heartbeats this node sends and accepts (incarnations, sequence numbers, clock skew),
/// whom each peer hears, and each peer's state (up, suspect, relayed through a peer, down, left).
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>The heartbeat to send now.</summary>
    /// <param name="time">Now.</param>
    /// <returns>The heartbeat.</returns>
    public HeartbeatMessage CreateHeartbeat(CoreTime time)
    {
        _t = time;
        var sees = new List<PeerSighting>(_peerList.Length);
        foreach (var p in _peerList)
        {
            if (HeardDirectly(p))
            {
                sees.Add(new PeerSighting(p.Name, (long)(_t.Now - p.HeardAt).TotalMilliseconds, p.Incarnation));
            }
        }

        // The claims change rarely: the list of the last heartbeat is sent again while none of them changed.
        if (_claimsSent is null || _claimsSentAt != _claimChanges)
        {
            var claims = new List<GroupClaim>(_groupList.Length + 1);
            foreach (var g in _groupList)
            {
                if (g.Best is not null)
                {
                    claims.Add(g.Best);
                }

                if (g.Mine is not null && !ReferenceEquals(g.Mine, g.Best))
                {
                    claims.Add(g.Mine);
                }
            }

            _claimsSent = claims;
            _claimsSentAt = _claimChanges;
        }

        var sent = _claimsSent;
        return new HeartbeatMessage(Self, Incarnation, ++_sequence, _t.Wall.ToUnixTimeMilliseconds(), Mode, _standby, sees, sent, _operatorStandby, _maintenance, _maintenanceVersion);
    }

    /// <summary>A heartbeat arrived (already authenticated by the driver).</summary>
    /// <param name="time">When it arrived.</param>
    /// <param name="message">The heartbeat.</param>
    /// <returns>Why it was dropped, or <see cref="HeartbeatRejection.None"/>.</returns>
    public HeartbeatRejection Receive(CoreTime time, HeartbeatMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _t = time;
        _changed = false;
        var verdict = Accept(message);
        if (verdict != HeartbeatRejection.None)
        {
            Dropped[verdict] = Dropped.GetValueOrDefault(verdict) + 1;
            return verdict;
        }

        // A heartbeat that changes nothing this node decides on (the same run, mode, claims and peers heard, from a
        // peer already heard) needs no evaluation: time-driven changes come with the next tick.
        if (_changed)
        {
            Evaluate();
        }

        return verdict;
    }

    private bool HeardDirectly(Peer p) =>
        p.EverHeard && p.Mode != NodeMode.Stopped && _t.Now - p.HeardAt <= _s.HeartbeatTimeout && !IsFenced(p);

    private static bool IsAlive(Peer p) => p.State is PeerState.Up or PeerState.Suspect or PeerState.Relayed;

    private HeartbeatRejection Accept(HeartbeatMessage m)
    {
        if (!_peers.TryGetValue(m.Node, out var p))
        {
            return HeartbeatRejection.UnknownNode;
        }

        var skew = Math.Abs(_t.Wall.ToUnixTimeMilliseconds() - m.SentAtMs);
        if (skew > _s.MaxClockSkew.TotalMilliseconds)
        {
            return HeartbeatRejection.ClockSkew;
        }

        if (p.IncarnationKnown && m.Incarnation == p.Incarnation)
        {
            // A run this node fenced is stopped, whatever it sent before it was (a packet still on its way, a process
            // that resumed while StopInstances was in flight): its heartbeats are void.
            if (m.Sequence <= p.Sequence || IsFenced(p))
            {
                return HeartbeatRejection.Replayed;
            }
        }
        else if (p.Retired.Contains(m.Incarnation))
        {
            if (!Reinstated(p, m.Incarnation))
            {
                return HeartbeatRejection.Replayed;
            }
        }
        else if (p.IncarnationKnown && _t.Now - p.IncarnationSince <= _s.HeartbeatTimeout && m.Sequence > p.Sequence)
        {
            // An unknown run that has sent more heartbeats than the run this node adopted moments ago has run longer:
            // it is the peer's previous run, one of whose packets the network held back, not a restart (a new run
            // starts counting from one, whatever its clock says). A run adopted long ago is replaced by any new one.
            Retire(p, m.Incarnation);
            return HeartbeatRejection.Replayed;
        }
        else
        {
            LearnIncarnation(p, m.Incarnation, _t.Now);
        }

        _changed |= p.State is not (PeerState.Up or PeerState.Suspect) || p.Mode != m.Mode || p.Standby != m.Standby || p.OperatorStandby != m.OperatorStandby || !SameSees(p.Sees, m.Sees);
        p.Sequence = m.Sequence;
        p.HeardAt = _t.Now;
        p.IncarnationSeenAt = _t.Now;
        p.EverHeard = true;
        p.Mode = m.Mode;
        p.Standby = m.Standby;
        if (p.OperatorStandby != m.OperatorStandby)
        {
            p.OperatorStandby = m.OperatorStandby;
            Emit(FailoverEventKind.OperatorCommand, p.Name, m.OperatorStandby ? $"{p.Name} is on standby: it takes no group." : $"{p.Name} is off standby: it may take groups again.");
        }

        LearnMaintenance(m);
        p.Sees = m.Sees;
        var own = new List<GroupClaim>(2);
        var claims = m.Claims;
        for (var i = 0; i < claims.Count; i++)
        {
            var c = claims[i];
            var g = GroupOf(c.Group);
            var holder = RankOf(c.Holder);
            if (g is null || holder < 0)
            {
                continue;
            }

            if (holder == p.Rank && c.Incarnation == m.Incarnation)
            {
                own.Add(c);
                if (c is { State: GroupClaimState.Released, Target: { } to } && !Is(to, Self) && p.OwnClaims.Exists(o => o.Holding && ReferenceEquals(GroupOf(o.Group), g)))
                {
                    // A hand-off between two other nodes: said here too, so that every node's timeline shows it.
                    Emit(FailoverEventKind.PeerHandedOff, g.Name, $"{p.Name} handed {g.Name} to {to}.");
                }

                if (c.Holding && g.Mine is { State: GroupClaimState.Active } mine && Compare(mine, c) > 0 && !g.Degraded)
                {
                    // Another node held this group at the same time (the far side of a split, a stale process): it
                    // yields to the newer claim, but may have pointed the group's resources at itself meanwhile.
                    // Apply them again once it has let go.
                    Emit(FailoverEventKind.GroupConflict, g.Name, $"{m.Node} also holds {g.Name} (epoch {c.Epoch}); it yields to {Self}'s newer claim (epoch {mine.Epoch}), and {Self} applies the group again.", false);
                    g.Degraded = true;
                    g.RetryActivateAt = _t.Now + _s.HeartbeatTimeout;
                    _changed = true;
                }
            }

            Merge(g, c);
        }

        _changed |= !SameClaims(p.OwnClaims, own);
        p.OwnClaims = own;

        // Whom the sender hears, and which run of each: a node this one does not hear directly is still known to
        // have restarted (its old claims void, its new ones valid).
        var sees = m.Sees;
        for (var i = 0; i < sees.Count; i++)
        {
            var sighting = sees[i];
            var rank = RankOf(sighting.Node);
            if (rank >= 0 && _byRank[rank] is { } other && !ReferenceEquals(other, p))
            {
                LearnIncarnation(other, sighting.Incarnation, _t.Now - TimeSpan.FromMilliseconds(sighting.AgeMs));
            }
        }

        return HeartbeatRejection.None;
    }

    /// <summary>Records which run of a peer is current, from its own heartbeat or a peer's sighting of it.</summary>
    private void LearnIncarnation(Peer p, long incarnation, TimeSpan seenAt)
    {
        if (p.IncarnationKnown && incarnation == p.Incarnation)
        {
            if (seenAt > p.IncarnationSeenAt)
            {
                p.IncarnationSeenAt = seenAt;
            }

            return;
        }

        if (p.Retired.Contains(incarnation) || (p.IncarnationKnown && seenAt < p.IncarnationSeenAt))
        {
            // An earlier run, or older news than what this node knows.
            return;
        }

        if (p.IncarnationKnown)
        {
            // The peer started again: its old process, and whatever it claimed, is gone.
            Retire(p, p.Incarnation);
            Emit(FailoverEventKind.PeerRestarted, p.Name, $"{p.Name} started again; what its previous run held is void.");
            p.OwnClaims = [];
            p.Sees = [];
            p.Mode = NodeMode.Starting;
            p.Standby = false;
            p.OperatorStandby = false;
        }

        p.Incarnation = incarnation;
        p.IncarnationKnown = true;
        p.IncarnationSeenAt = seenAt;
        p.IncarnationSince = _t.Now;
        p.Sequence = 0;
        _changed = true;
    }

    private static void Retire(Peer p, long incarnation)
    {
        p.Retired.Add(incarnation);
        if (p.Retired.Count > 8)
        {
            p.Retired.RemoveAt(0);
        }
    }

    /// <summary>
    /// Whether a run this node retired is in fact the current one: its heartbeats keep coming (three of them, over
    /// more than an interval — a packet held back by the network comes once) while the run this node took for the
    /// current one has been silent for a heartbeat timeout. A late packet of an old run, taken for a restart, is
    /// undone this way. Then it is current again.
    /// </summary>
    private bool Reinstated(Peer p, long incarnation)
    {
        if (p.EverHeard && _t.Now - p.HeardAt <= _s.HeartbeatTimeout)
        {
            p.Returning = 0;
            return false;
        }

        if (p.Returning != incarnation)
        {
            p.Returning = incarnation;
            p.ReturningSince = _t.Now;
            p.ReturningCount = 1;
            return false;
        }

        if (++p.ReturningCount < 3 || _t.Now - p.ReturningSince <= _s.HeartbeatInterval)
        {
            return false;
        }

        p.Returning = 0;
        p.Retired.Remove(incarnation);
        LearnIncarnation(p, incarnation, _t.Now);
        return true;
    }

    private static bool SameSees(IReadOnlyList<PeerSighting> a, IReadOnlyList<PeerSighting> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i].Node, b[i].Node, StringComparison.Ordinal) || a[i].Incarnation != b[i].Incarnation)
            {
                return false;
            }
        }

        return true;
    }

    private void UpdateLiveness()
    {
        foreach (var p in _peerList)
        {
            var before = p.State;
            PeerState now;
            if (p.EverHeard && p.Mode == NodeMode.Stopped)
            {
                now = PeerState.Left;
            }
            else if (HeardDirectly(p))
            {
                now = _t.Now - p.HeardAt <= _s.HeartbeatTimeout / 2 ? PeerState.Up : PeerState.Suspect;
            }
            else if (RelayedAlive(p))
            {
                now = PeerState.Relayed;
            }
            else
            {
                now = p.EverHeard ? PeerState.Down : PeerState.Unknown;
            }

            p.State = now;
            var wasAlive = before is PeerState.Up or PeerState.Suspect or PeerState.Relayed;
            var isAlive = now is PeerState.Up or PeerState.Suspect or PeerState.Relayed;
            if (wasAlive && now == PeerState.Down)
            {
                p.LostAt = _t.Now;
                Emit(FailoverEventKind.HeartbeatLost, p.Name, IsFenced(p)
                    ? $"{p.Name} is stopped (fenced); what that run sends is void."
                    : $"No heartbeat from {p.Name} for {Seconds(_s.HeartbeatTimeout)} s.", false);
            }
            else if (before == PeerState.Down && isAlive)
            {
                Emit(FailoverEventKind.HeartbeatRestored, p.Name, $"{p.Name} is back; groups stay where they are unless they fail back.");
            }
            else if (now == PeerState.Left && before != PeerState.Left)
            {
                Emit(FailoverEventKind.PeerLeft, p.Name, $"{p.Name} left the cluster; what it released can be taken at once.");
            }
        }
    }

    private bool RelayedAlive(Peer p)
    {
        if (IsFenced(p))
        {
            // A peer that sees a later run of it tells this node so (its incarnation), and that run is not fenced.
            return false;
        }

        foreach (var q in _peerList)
        {
            if (ReferenceEquals(p, q) || !HeardDirectly(q))
            {
                continue;
            }

            var sees = q.Sees;
            for (var i = 0; i < sees.Count; i++)
            {
                var s = sees[i];
                if (RankOf(s.Node) == p.Rank && _t.Now - q.HeardAt + TimeSpan.FromMilliseconds(s.AgeMs) <= _s.HeartbeatTimeout)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private bool IsLost(Peer p)
    {
        switch (p.State)
        {
            case PeerState.Down:
                return true;
            case PeerState.Unknown:
                return Mode != NodeMode.Starting;
            case PeerState.Left:
                for (var i = 0; i < p.OwnClaims.Count; i++)
                {
                    if (p.OwnClaims[i].Holding)
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private bool HearsMe(Peer p)
    {
        if (!HeardDirectly(p))
        {
            return false;
        }

        for (var i = 0; i < p.Sees.Count; i++)
        {
            if (RankOf(p.Sees[i].Node) == SelfRank)
            {
                return true;
            }
        }

        return false;
    }
}
