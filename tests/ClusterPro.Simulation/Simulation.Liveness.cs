using ClusterPro.Failover;

namespace ClusterPro.Simulation;

/// <summary>
/// Liveness, and the properties that judge the cluster by what AWS and the machines actually do rather than by what the
/// cores claim, in plain words:
/// <list type="number">
/// <item><b>Back within the bound.</b> Once the last fault has healed and the operators have started every stopped
/// instance and service again, every group that starts and fails over by itself (and was not stopped on purpose by a
/// final action) has exactly one owner — one node has it active, no other node holds it — and AWS (every VIP route, the
/// Elastic IP and the DNS record) points at that owner, within <see cref="SimConfig.LivenessBoundMs"/>, a bound derived
/// from the settings, and it stays so.</item>
/// <item><b>A healthy majority keeps its groups.</b> While a majority of the nodes (with majority off, on two nodes, or
/// with a witness: any node) run, have heard each other steadily, reach AWS and the network-partition target, and AWS
/// answers normally, no such group stays without an owner that AWS points at for longer than that bound.</item>
/// <item><b>No healthy node of a majority is fenced.</b> A fence never stops a node that is running, reaches AWS and
/// belongs to a majority of nodes that have heard each other steadily.</item>
/// <item><b>No mutual fencing.</b> Two nodes never stop each other's instances.</item>
/// <item><b>No false failover.</b> A node never fences, or takes a group over from, a peer that is running and that it
/// has heard steadily (links working both ways, no freeze, no clock step, for two heartbeat timeouts).</item>
/// <item><b>Released means released.</b> A node that holds nothing of a group (released, stopped, or never held) has
/// none of that group's resources active, unless an operation on the group is running there.</item>
/// <item><b>Writes under the lease.</b> With a witness, a node starts an activation step only while the witness table
/// gives it the group's lease.</item>
/// </list>
/// </summary>
internal sealed partial class Simulation
{
    private readonly HashSet<string> _stopRequested = [];
    private readonly Dictionary<string, long> _ownerlessSince = [];
    private readonly List<(long At, SimNode Fencer, SimNode Target)> _fenceStops = [];
    private long _quietAt = -1;
    private long _raceTroubleAt = long.MinValue / 2;

    /// <summary>The longest a group went without an owner while a healthy majority was up, as a share of the liveness bound.</summary>
    public double OwnerlessRatio { get; private set; }

    /// <summary>How long after the last fault healed every group settled, as a share of the liveness bound (-1: it did not).</summary>
    public double SettleRatio { get; private set; } = -1;

    /// <summary>A scenario's operator stops a group on purpose (liveness no longer applies to it).</summary>
    /// <param name="group">The group.</param>
    public void StopOnPurpose(string group) => _stopRequested.Add(group);

    /// <summary>Whether liveness applies to the group: it starts and fails over by itself, and no final action stopped it on purpose.</summary>
    private bool MustRun(SimGroup g) => g.MustRun && !_stopRequested.Contains(g.Name);

    private bool MajorityRules => _c.Majority && _nodes.Length >= 3 && !_c.Witness;

    /// <summary>
    /// In the quiet period: ends the history once every group has had exactly one owner, with AWS pointing at it and
    /// nothing in flight, for long enough that nothing is still settling; a violation when that takes longer than the
    /// liveness bound.
    /// </summary>
    private void WatchConvergence()
    {
        if (Settled())
        {
            _convergedSince = _convergedSince < 0 ? _w.Now : _convergedSince;
            if (_w.Now - _convergedSince >= _c.StableMs)
            {
                _converged = true;
                SettleRatio = (double)(_convergedSince - LivenessFrom) / _c.LivenessBoundMs;
                Note("quiet", $"settled {Seconds(_convergedSince - LivenessFrom)} s after the last fault healed{(_leversOnAt > _quietAt ? " and the operators finished" : string.Empty)} (bound {Seconds(_c.LivenessBoundMs)} s): every group on exactly one node, AWS pointing at it");
                return;
            }
        }
        else
        {
            _convergedSince = -1;
        }

        if (_w.Now - LivenessFrom > _c.LivenessBoundMs + _c.StableMs)
        {
            Violation($"{Seconds(_w.Now - LivenessFrom)} s after the last fault healed{(_leversOnAt > _quietAt ? " and the operators finished" : string.Empty)}, the groups have not settled (bound {Seconds(_c.LivenessBoundMs)} s, then {Seconds(_c.StableMs)} s stable): {string.Join(" ", LivenessProblems())}");
            _converged = true;
            return;
        }

        _w.After(_c.IntervalMs, WatchConvergence);
    }

    private bool Settled()
    {
        if (_nodes.Any(n => !n.ProcessUp || n.Paused(_w.Now) || n.Core!.Mode != NodeMode.Running || n.Operations.Count > 0 || n.Fences.Count > 0 || n.Core.OperatorStandby || n.Core.Maintenance))
        {
            return false;
        }

        return LivenessProblems().Count == 0;
    }

    /// <summary>What keeps the groups from having exactly one owner with AWS pointing at it (empty when none).</summary>
    private List<string> LivenessProblems()
    {
        var problems = new List<string>();
        foreach (var g in _c.Groups)
        {
            if (!MustRun(g))
            {
                continue;
            }

            var holders = _nodes.Where(x => x.ProcessUp && x.Core!.Holds(g.Name)).ToList();
            var active = holders.Where(x => x.Core!.LocalState(g.Name) == GroupClaimState.Active).ToList();
            if (active.Count != 1 || holders.Count != 1)
            {
                problems.Add($"{g.Name} is active on [{string.Join(",", active.Select(x => x.Name))}] and held by [{string.Join(",", holders.Select(x => $"{x.Name}:{x.Core!.LocalState(g.Name)}"))}], expected exactly one owner. Views: {Views(g.Name)}.");
            }
            else if (_aws.PointsAt(g.Name) != active[0].Name)
            {
                problems.Add($"{g.Name} is active on {active[0].Name} but AWS has {_aws.Describe(g.Name)}.");
            }
        }

        return problems;
    }

    private void CheckLiveness()
    {
        foreach (var problem in LivenessProblems())
        {
            Violation($"after the quiet period {problem}");
        }
    }

    private string Views(string group) => string.Join("; ", _nodes.Where(x => x.ProcessUp).Select(x =>
    {
        var v = x.Core!.GetView();
        var s = v.Groups.First(y => y.Group == group);
        return $"{x.Name} ({v.Mode}{(v.Standby ? ", standby" : string.Empty)}) sees owner {s.Owner ?? "-"} epoch {s.Epoch} {s.OwnerState} local {s.LocalState}, peers {string.Join(",", v.Peers.Select(p => $"{p.Node}:{p.State}/{p.Mode}{(p.Fenced ? "/fenced" : string.Empty)}[{string.Join(" ", p.ActiveGroups)}]"))}";
    }));

    private bool HasQuorum(IReadOnlyCollection<SimNode> up)
    {
        if (!MajorityRules)
        {
            return true;
        }

        var masterUp = up.Any(x => x.Index == 0);
        return 2 * up.Count > _nodes.Length || (2 * up.Count == _nodes.Length && masterUp);
    }

    /// <summary>
    /// A node in good health for two heartbeat timeouts: its process runs in the cluster, unfrozen, past its start-up
    /// wait, its clock not stepped, and it reaches AWS and the network-partition target.
    /// </summary>
    private bool Healthy(SimNode n)
    {
        var since = _w.Now - (2 * _c.TimeoutMs);
        return n.InCluster && n.Instance == InstanceState.Running && n.Core!.Mode == NodeMode.Running && n.PausedUntil < since &&
            n.ClockSteppedAt < since && n.StartedAt < since - _c.StartupWaitMs && n.UplinkDown == 0;
    }

    /// <summary>
    /// The largest set of healthy nodes that have all heard each other steadily and make a majority (any such set
    /// where majority does not rule), containing <paramref name="member"/> when given; null when there is none.
    /// </summary>
    private List<SimNode>? SteadyMajority(SimNode? member = null)
    {
        var healthy = _nodes.Where(Healthy).ToList();
        List<SimNode>? best = null;
        for (var mask = (1 << healthy.Count) - 1; mask > 0; mask--)
        {
            var set = healthy.Where((_, i) => (mask & (1 << i)) != 0).ToList();
            if ((best is not null && set.Count <= best.Count) || (member is not null && !set.Contains(member)) || !HasQuorum(set))
            {
                continue;
            }

            var steady = true;
            for (var i = 0; i < set.Count && steady; i++)
            {
                for (var j = i + 1; j < set.Count && steady; j++)
                {
                    steady = HearsSteadily(set[i], set[j]);
                }
            }

            if (steady)
            {
                best = set;
            }
        }

        return best;
    }

    /// <summary>Whether every link between running nodes is either clean (heard steadily) or cleanly cut both ways for two heartbeat timeouts.</summary>
    private bool CleanLinks()
    {
        var since = _w.Now - (2 * _c.TimeoutMs);
        foreach (var a in _nodes)
        {
            foreach (var b in _nodes)
            {
                if (a.Index < b.Index && a.ProcessUp && b.ProcessUp && !HearsSteadily(a, b) &&
                    !(_net.CutSince(a.Index, b.Index) < since && _net.CutSince(b.Index, a.Index) < since))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Every interval of the fault phase: a healthy majority never leaves a group without an owner that AWS points at for longer than the bound.</summary>
    private void WatchMajority()
    {
        if (_quiet)
        {
            return;
        }

        _w.After(_c.IntervalMs, WatchMajority);
        WatchRaceTrouble();
        // In maintenance nothing fails over (that is the point): the bound applies again from its end.
        var majority = _aws.Healthy && CleanLinks() && !InMaintenance() ? SteadyMajority() : null;
        foreach (var g in _c.Groups)
        {
            // A node that an operator put on standby takes nothing: the group needs a node of the majority that may take it.
            if (majority is null || !MustRun(g) || !majority.Any(n => g.Nodes.Contains(n.Name) && !n.Core!.OperatorStandby) || Owned(g.Name))
            {
                _ownerlessSince.Remove(g.Name);
                continue;
            }

            if (!_ownerlessSince.TryGetValue(g.Name, out var since))
            {
                _ownerlessSince[g.Name] = _w.Now;
                continue;
            }

            OwnerlessRatio = Math.Max(OwnerlessRatio, (double)(_w.Now - since) / _c.LivenessBoundMs);
            if (_w.Now - since > _c.LivenessBoundMs)
            {
                Violation($"{g.Name} has had no owner that AWS points at for {Seconds(_w.Now - since)} s (bound {Seconds(_c.LivenessBoundMs)} s) while {string.Join(",", majority.Select(x => x.Name))} run, hear each other and reach AWS. AWS has {_aws.Describe(g.Name)}. Views: {Views(g.Name)}");
                _ownerlessSince[g.Name] = _w.Now;
            }
        }
    }

    /// <summary>Whether one unfrozen node has the group active and AWS points at it.</summary>
    private bool Owned(string group)
    {
        var at = _aws.PointsAt(group);
        return at is not null && _byName[at] is { ProcessUp: true } owner && !owner.Paused(_w.Now) && owner.Core!.LocalState(group) == GroupClaimState.Active;
    }

    /// <summary>A fence's StopInstances reached AWS: judge it before the instance stops.</summary>
    private void FenceLands(SimNode fencer, SimNode target)
    {
        if (target.Instance == InstanceState.Running)
        {
            // Mutual fencing: this fence lands on a running node although that node's own fence already stopped (is
            // stopping) the fencer — both requests were on their way at once, and both instances stop.
            if (fencer.Instance != InstanceState.Running && _fenceStops.LastOrDefault(f => f.Target == fencer).Fencer == target && MutualFencingAvoidable())
            {
                Violation($"{fencer.Name} and {target.Name} fenced each other: both instances stop.");
            }

            _fenceStops.Add((_w.Now, fencer, target));
        }

        StopInstance(target, forced: true);
    }

    /// <summary>
    /// A node starts fencing a peer: judged by what is true when it decides (a fence started on a real loss may land
    /// after the peer came back, which is what a fence in flight is).
    /// </summary>
    private void CheckFenceStart(SimNode fencer, string peer)
    {
        var target = _byName[peer];
        if (!Healthy(target) || HoldsStuck(target))
        {
            return;
        }

        if (MajorityRules && SteadyMajority(target) is { } majority && !majority.Contains(fencer))
        {
            Violation($"{fencer.Name} starts fencing {target.Name}, a healthy node of the majority {{{string.Join(",", majority.Select(x => x.Name))}}}.");
        }

        if (HearsSteadily(fencer, target))
        {
            Violation($"{fencer.Name} starts fencing {target.Name}, which runs and which it hears steadily (a false failover). {fencer.Name} sees {Seen(fencer, target)}");
        }
    }

    /// <summary>
    /// Whether two nodes that lost each other could not both have fenced: for the last fence delay (times the ranks, where
    /// no majority decides) and two AWS calls, AWS answered normally, every node reached it, and no link lagged or lost
    /// packets (links cut cleanly are what starts the race, not what loses it) — then the configured fence delay (at least two heartbeat intervals, the NP answer and two AWS calls)
    /// lets the higher-priority side's fence land first. With AWS slow or lossy, or a lagging link, the race is lost by
    /// design, not by the core; so it is when maintenance ended at different moments on different nodes (the two sides of
    /// a partition cannot tell each other, so each takes its verdict when the operator reaches it).
    /// </summary>
    private bool MutualFencingAvoidable() =>
        _w.Now - _raceTroubleAt > (_c.FenceDelayMs * (MajorityRules ? 1 : _nodes.Length - 1)) + (2 * _c.AwsCallTimeoutMs);

    /// <summary>Notes whether AWS, the uplinks and the links are all clean now (for <see cref="MutualFencingAvoidable"/>).</summary>
    private void WatchRaceTrouble()
    {
        if (!_aws.Healthy || _nodes.Any(n => n.UplinkDown > 0) || _net.AnyTrouble)
        {
            _raceTroubleAt = _w.Now;
        }
    }

    /// <summary>How one node sees another, and the heartbeats it dropped, for a violation's message.</summary>
    private static string Seen(SimNode n, SimNode peer)
    {
        var view = n.Core!.GetView();
        var p = view.Peer(peer.Name)!;
        return $"{peer.Name} {p.State}/{p.Mode}, silent {p.SilentFor?.TotalMilliseconds ?? -1} ms{(p.Fenced ? ", fenced" : string.Empty)}; dropped [{string.Join(",", view.DroppedHeartbeats.Select(d => $"{d.Key}:{d.Value}"))}].";
    }

    private bool HoldsStuck(SimNode n) => _c.Groups.Any(g => n.Core!.LocalState(g.Name) == GroupClaimState.Stuck);

    /// <summary>A node starts taking a group over from a peer it says is lost: that peer must not be one it hears steadily.</summary>
    private void CheckTakeover(SimNode n, GroupOperationEffect effect)
    {
        const string prefix = "takeover from ";
        if (!effect.Reason.StartsWith(prefix, StringComparison.Ordinal))
        {
            return;
        }

        var from = _byName[effect.Reason[prefix.Length..]];
        if (Healthy(from) && HearsSteadily(n, from))
        {
            Violation($"{n.Name} takes {effect.Group} over from {from.Name}, which runs and which it hears steadily (a false failover). {n.Name} sees {Seen(n, from)}");
        }
    }

    /// <summary>Ground truth on the nodes: a node that holds nothing of a group has none of its resources active, unless an operation on it runs.</summary>
    private void CheckReleased(SimNode n, int gi)
    {
        var g = _c.Groups[gi];
        var active = n.ActiveResources[g.Name];
        if ((active[0] || active[1] || active[2]) && !n.Core!.HoldsAt(gi) && !n.Operations.Values.Any(o => o.Group == g.Name))
        {
            Violation($"{n.Name} claims nothing of {g.Name} ({n.Core.LocalStateAt(gi)?.ToString() ?? "never held"}) but has [{string.Join(",", ResourceNames.Where((_, i) => active[i]))}] of it active.");
        }
    }
}
