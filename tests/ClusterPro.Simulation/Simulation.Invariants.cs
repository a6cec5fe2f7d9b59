using ClusterPro.Failover;

namespace ClusterPro.Simulation;

/// <summary>
/// The properties every history must keep, in plain words, checked after every simulated event (safety) or after the
/// quiet period that ends every history (liveness):
/// <list type="number">
/// <item><b>One owner, with fencing.</b> Never do two nodes whose instances are running both hold a group (activating,
/// active, deactivating or stuck).</item>
/// <item><b>Bounded split, without fencing.</b> Two serving holders of a group never last longer than the heartbeat
/// timeout twice and a settle time, plus the network-partition probes, a hung call per resource, a release and an
/// activation and a few heartbeats, while AWS answers both of them
/// normally and both can take the VIP off their own interface (a node that cannot reach AWS, or whose release fails,
/// cannot let go of what it holds; fencing, or a witness, is what bounds that case) — and, in the configurations start-up warns about (two nodes, or majority off, without fencing), while those
/// holders can hear each other.</item>
/// <item><b>One operation at a time.</b> A node never asks for a second operation on a group, or a second fence of a
/// peer, while the first is running.</item>
/// <item><b>The last home stays.</b> A node never takes a node-wide final action (stop the service, shut down or
/// reboot) while it reaches AWS and its network-partition target, hears every other running node, and is the last
/// running node that can run one of its groups (with majority on, while a majority is up: without one no node may run
/// a group anyway).</item>
/// </list>
/// Liveness, and the properties judged by what AWS and the machines do (not what the cores claim), are in
/// <c>Simulation.Liveness.cs</c>.
/// </summary>
internal sealed partial class Simulation
{
    /// <summary>
    /// How long two holders may last while both reach AWS normally: the loss (the heartbeat timeout twice, a settle
    /// time), the probes, a call of each resource that hung before AWS recovered, a release and an activation on
    /// healthy AWS, and a few heartbeats.
    /// </summary>
    private long SplitBoundMs => (2 * _c.TimeoutMs) + _c.IntervalMs + _c.ProbeBoundMs + (3 * _c.AwsCallTimeoutMs) + (2 * 3 * _c.HealthyCallMs) + (3 * _c.IntervalMs) + 1000;

    /// <summary>The longest two holders of a group lasted (without fencing or witness), as a share of the split bound.</summary>
    public double SplitRatio { get; private set; }

    /// <summary>Something that safety depends on changed (a core's effects, a process, an instance, a freeze).</summary>
    internal void Touch() => _dirty = true;

    private void CheckSafety()
    {
        // The holders only change when a core ran or a machine changed; a split's clock needs looking at as time passes.
        if (!_dirty && _dualSince.Count == 0 && (_w.Steps & 31) != 0)
        {
            return;
        }

        _dirty = false;
        for (var gi = 0; gi < _c.Groups.Length; gi++)
        {
            var g = _c.Groups[gi];
            foreach (var n in _nodes)
            {
                if (n.ProcessUp)
                {
                    CheckReleased(n, gi);
                }
            }

            SimNode? first = null;
            SimNode? second = null;
            var serving = 0;
            SimNode? a = null;
            SimNode? b = null;
            foreach (var n in _nodes)
            {
                if (!n.ProcessUp || n.Instance == InstanceState.Stopped || !n.Core!.HoldsAt(gi))
                {
                    continue;
                }

                if (first is null)
                {
                    first = n;
                }
                else
                {
                    second ??= n;
                }

                if (!n.Paused(_w.Now))
                {
                    serving++;
                    if (a is null)
                    {
                        a = n;
                    }
                    else
                    {
                        b ??= n;
                    }
                }
            }

            if (_c.Witness && !_c.Fencing)
            {
                // With a witness, the lease alone keeps one owner: never two nodes serving the group (activating or
                // active, not frozen); a node whose lease ran out has started releasing before another could take it.
                SimNode? server = null;
                foreach (var n in _nodes)
                {
                    if (n.ProcessUp && !n.Paused(_w.Now) && n.Core!.LocalStateAt(gi) is GroupClaimState.Activating or GroupClaimState.Active)
                    {
                        if (server is not null)
                        {
                            Violation($"{g.Name} is served by {server.Name} ({server.Core!.LocalStateAt(gi)}) and {n.Name} ({n.Core!.LocalStateAt(gi)}) although a witness holds its lease.");
                        }

                        server = n;
                    }
                }

                continue;
            }

            if (_c.Fencing)
            {
                if (second is not null)
                {
                    Violation($"{g.Name} is held by {first!.Name} ({first.Core!.LocalState(g.Name)}) and {second.Name} ({second.Core!.LocalState(g.Name)}), whose instances both run. Views: {Views(g.Name)}");
                }

                continue;
            }

            if (serving < 2)
            {
                _dualSince.Remove(g.Name);
                continue;
            }

            if ((_c.SplitBrainWarned && !CanHear(a!, b!)) || !CanRelease(a!) || !CanRelease(b!))
            {
                _dualSince.Remove(g.Name);
                continue;
            }

            if (!_dualSince.TryGetValue(g.Name, out var since))
            {
                _dualSince[g.Name] = _w.Now;
            }
            else if ((SplitRatio = Math.Max(SplitRatio, (double)(_w.Now - since) / SplitBoundMs)) > 1)
            {
                Violation($"{g.Name} has been held by both {a!.Name} and {b!.Name} for {_w.Now - since} ms (bound {SplitBoundMs} ms), and they can hear each other.");
                _dualSince[g.Name] = _w.Now;
            }
        }
    }

    /// <summary>Whether a holder can let go of a group: AWS answers it normally, and taking the VIP off its own interface works.</summary>
    private bool CanRelease(SimNode n) => AwsHealthyFor(n) && _w.Now >= n.ReleaseFailsUntil;

    /// <summary>Whether AWS answers this node normally (a holder that cannot reach AWS cannot release what it holds there).</summary>
    private bool AwsHealthyFor(SimNode n) =>
        ReachesAws(n) && _aws.HangRate == 0 && _aws.ErrorRate == 0 && _aws.ThrottleRate == 0 && _aws.LostAnswerRate == 0 && _aws.ExtraLatencyMs < _c.AwsCallTimeoutMs / 2;

    /// <summary>Whether two nodes have heard each other without trouble (cut, loss, freeze, clock skew) for the last two heartbeat timeouts.</summary>
    private bool HearsSteadily(SimNode a, SimNode b)
    {
        var since = _w.Now - (2 * _c.TimeoutMs);
        return CanHear(a, b) && _net.TroubledAt(a.Index, b.Index, _w.Now) < since && _net.TroubledAt(b.Index, a.Index, _w.Now) < since &&
            a.PausedUntil < since && b.PausedUntil < since && a.ClockSteppedAt < since && b.ClockSteppedAt < since && b.StartedAt < since;
    }

    /// <summary>Whether heartbeats get through both ways between two nodes (links up, clocks within the skew bound).</summary>
    private bool CanHear(SimNode a, SimNode b) =>
        _net.Works(a.Index, b.Index) && _net.Works(b.Index, a.Index) && Math.Abs(a.ClockOffsetMs - b.ClockOffsetMs) <= _c.MaxClockSkewMs;

    private void CheckLastNode(SimNode n, FinalActionRequest request)
    {
        if (request.Action is not (FinalAction.StopClusterService or FinalAction.StopClusterServiceAndShutdownOs or FinalAction.StopClusterServiceAndRebootOs))
        {
            return;
        }

        if (!ReachesAws(n) || (request.Source == FailoverCore.PartitionSource && _w.Now - _awsRestoredAt[n.Index] < _c.ProbeBoundMs + _c.OperationBoundMs))
        {
            return;
        }

        var running = _nodes.Where(x => x.InCluster && x.Instance != InstanceState.Stopped).ToList();
        if (!HasQuorum(running) || running.Any(x => x != n && !HearsSteadily(n, x)))
        {
            // Without a majority up no node may run a group anyway; a node cut off from the others cannot know it is the last.
            return;
        }

        foreach (var g in _c.Groups)
        {
            if (!g.Nodes.Contains(n.Name))
            {
                continue;
            }

            // A node that went down moments ago still counts: nobody can know yet. So does one whose heartbeats, held
            // back by a lagging link, still reached this node moments ago.
            var others = _nodes.Where(x => x != n && g.Nodes.Contains(x.Name) && ((x.InCluster && x.Instance != InstanceState.Stopped) || (x.DownSince >= 0 && _w.Now - x.DownSince < _c.TimeoutMs * 2)
                || (n.HeardFrom.TryGetValue(x.Name, out var heard) && _w.Now - heard < _c.TimeoutMs * 2))).ToList();
            if (others.Count == 0)
            {
                Violation($"{n.Name} took {request.Action} ({request.Source}) while it reaches AWS, and no other node that can run {g.Name} is up.");
                return;
            }
        }
    }

    /// <summary>
    /// With a witness, a node points a group's resources at itself only while the witness table gives it the group's
    /// lease: the ground truth (the table), not what the node's core believes.
    /// </summary>
    private void CheckWriteUnderLease(SimNode n, string group, string resource)
    {
        var lease = _aws.Leases.GetValueOrDefault(group);
        if (lease?.Owner != n.Name)
        {
            Violation($"{n.Name} activates {resource} of {group} while the witness table gives its lease to {lease?.Owner ?? "nobody"} (epoch {lease?.Epoch ?? 0}).");
        }
    }
}
