using ClusterPro.Failover;

namespace ClusterPro.Simulation;

/// <summary>
/// The operators' levers, as the <c>clusterpro</c> tool pulls them through the control channel: standby and unstandby of
/// a node, maintenance on and off for the cluster, moves of a group and cleanups. Each is an input of the node's core;
/// the node keeps standby and maintenance in its state directory, so a restart keeps them (the driver's state file).
/// In plain words, checked as they happen:
/// <list type="number">
/// <item><b>A node on standby takes nothing.</b> A node whose operator put it on standby never starts to activate a
/// group.</item>
/// <item><b>Maintenance decides nothing.</b> A node that follows maintenance starts no activation (but of a group a node
/// handed to it as it stopped in order), no fence and takes no partition verdict (safety still holds: the one-owner invariants are checked as always, and with a witness a group
/// whose lease is lost is still released).</item>
/// <item><b>The last home is not stood by.</b> An unforced standby is refused while the node holds a group that no
/// other node can take (every other node that can run it has been down, or on standby, for two heartbeat
/// timeouts).</item>
/// <item><b>Liveness waits for the operators.</b> While maintenance is on, the liveness bounds are suspended (a lost
/// owner is not replaced: that is the point); each time a standby or maintenance setting changes, and once the last
/// one ends, the bounds apply afresh from that moment. The quiet period that ends every history ends every standby and
/// maintenance (the operators finish their work) before liveness is judged. A group stopped by a final action is
/// owed again once a cleanup starts it.</item>
/// </list>
/// </summary>
internal sealed partial class Simulation
{
    /// <summary>The last time an operator's lever was on at a running node in the quiet period (-1: none was).</summary>
    private long _leversOnAt = -1;

    /// <summary>By group: the nodes some node has released it for (hand-offs) that have not activated it since.</summary>
    private readonly Dictionary<string, HashSet<string>> _handedTo = [];

    /// <summary>Whether the running nodes disagreed about maintenance at its last change.</summary>
    private bool _maintenanceSplit;

    /// <summary>Groups stopped by a final action that an operator's cleanup started again: they must run.</summary>
    private readonly HashSet<string> _restartWanted = [];

    /// <summary>When the liveness bound starts: the quiet period's start, or the end of the operators' work after it.</summary>
    private long LivenessFrom => Math.Max(_quietAt, _leversOnAt);

    /// <summary>Whether the tool gets an answer from the node now (its process runs and is not frozen).</summary>
    private bool Answers(SimNode n) => n.ProcessUp && !n.Paused(_w.Now) && n.Core is not null;

    /// <summary>Whether any running node follows maintenance now.</summary>
    private bool InMaintenance()
    {
        foreach (var n in _nodes)
        {
            if (n.ProcessUp && n.Core!.Maintenance)
            {
                return true;
            }
        }

        return false;
    }

    private void OperatorFault(FaultKind kind, SimNode node, long duration)
    {
        switch (kind)
        {
            case FaultKind.OperatorStandby:
                OperatorStandby(node, duration);
                break;
            case FaultKind.Maintenance:
                OperatorMaintenance(node, duration);
                break;
            case FaultKind.Cleanup:
                OperatorCleanup(node);
                break;
            default:
                OperatorMove(node);
                break;
        }
    }

    /// <summary>An operator moves a group (to a named node, the next one, or a node that is not in the cluster).</summary>
    private void OperatorMove(SimNode node)
    {
        var move = _w.Pick(_c.Groups);
        var target = _w.Chance(0.1) ? "node9" : _w.Chance(0.2) ? null : _w.Pick(move.Nodes);
        var holder = _nodes.FirstOrDefault(x => Answers(x) && x.Core!.LocalState(move.Name) == GroupClaimState.Active);

        // The tool asks the node holding the group; now and then the operator names the wrong one.
        Move(holder is not null && !_w.Chance(0.1) ? holder : node, move.Name, target);
    }

    /// <summary>An operator moves a group away from the node (the tool's <c>move</c>); null when the node does not answer.</summary>
    /// <param name="node">The node asked (the one holding the group).</param>
    /// <param name="group">The group.</param>
    /// <param name="target">The node to move it to, or null for the next one.</param>
    /// <returns>The core's answer.</returns>
    public OperatorOutcome? Move(SimNode node, string group, string? target)
    {
        if (!Answers(node))
        {
            return null;
        }

        var outcome = node.Core!.MoveByOperator(Time(node), group, target);
        Note("operator", $"moves {group} from {node.Name} to {target ?? "the next node"}: {(outcome.Accepted ? "started" : "refused")}: {outcome.Message}");
        Drain(node);
        return outcome;
    }

    /// <summary>An operator puts a node on standby (forced now and then), and takes it off after a while.</summary>
    private void OperatorStandby(SimNode node, long duration)
    {
        if (!Answers(node) || node.Core!.OperatorStandby)
        {
            return;
        }

        if (Standby(node, on: true, force: _w.Chance(0.2)) is { Accepted: true })
        {
            _w.After(duration, () => Unstandby(node));
        }
    }

    /// <summary>
    /// An operator puts a node on standby or takes it off (the tool's <c>standby</c> and <c>unstandby</c>); null when the
    /// node does not answer. An unforced standby must be refused while the node holds a group no other node can take.
    /// </summary>
    /// <param name="node">The node.</param>
    /// <param name="on">Standby or unstandby.</param>
    /// <param name="force">Go ahead even when a group has no other node to go to.</param>
    /// <returns>The core's answer.</returns>
    public OperatorOutcome? Standby(SimNode node, bool on, bool force = false)
    {
        if (!Answers(node))
        {
            return null;
        }

        var stranded = on && !force && !node.Core!.OperatorStandby ? StrandedBy(node) : null;
        var outcome = node.Core!.SetStandby(Time(node), on, force);
        Note("operator", $"{(on ? "standby" : "unstandby")} {node.Name}{(force ? " --force" : string.Empty)}: {(outcome.Accepted ? "done" : "refused")}: {outcome.Message}");
        if (outcome.Accepted && stranded is not null)
        {
            Violation($"{node.Name} went on standby without --force although it holds {stranded}, which no other node can take (every other node that can run it has been down or on standby for {Seconds(2 * _c.TimeoutMs)} s).");
        }

        Drain(node);
        return outcome;
    }

    /// <summary>A group the node holds that no other node could take (down, or on standby, for two heartbeat timeouts), or null.</summary>
    private string? StrandedBy(SimNode node)
    {
        var since = _w.Now - (2 * _c.TimeoutMs);
        foreach (var g in _c.Groups)
        {
            if (!node.Core!.Holds(g.Name))
            {
                continue;
            }

            var home = _nodes.Any(x => x != node && g.Nodes.Contains(x.Name) &&
                !((!x.InCluster || x.Instance != InstanceState.Running) && x.DownSince >= 0 && x.DownSince < since) &&
                !(x.InCluster && x.Core!.OperatorStandby && x.StandbyChangedAt < since && x.StartedAt < since));
            if (!home)
            {
                return g.Name;
            }
        }

        return null;
    }

    /// <summary>The operator takes the node off standby, trying again until the node answers (the quiet period finishes it otherwise).</summary>
    private void Unstandby(SimNode node)
    {
        if (_quiet)
        {
            return;
        }

        if (!Answers(node))
        {
            _w.After(2 * _c.IntervalMs, () => Unstandby(node));
            return;
        }

        if (node.Core!.OperatorStandby)
        {
            Standby(node, on: false);
        }
    }

    /// <summary>An operator turns maintenance on (at one node, or at every node that answers, as the tool does), and off after a while.</summary>
    private void OperatorMaintenance(SimNode node, long duration)
    {
        var asked = _w.Chance(0.3) ? _nodes.Where(Answers).ToList() : Answers(node) ? [node] : [];
        foreach (var n in asked)
        {
            Maintenance(n, on: true);
        }

        if (asked.Count > 0)
        {
            _w.After(duration, MaintenanceOff);
        }
    }

    /// <summary>An operator turns maintenance on or off at a node (the tool's <c>maintenance</c>; its peers learn it from the node's heartbeats).</summary>
    /// <param name="node">The node asked.</param>
    /// <param name="on">On or off.</param>
    public void Maintenance(SimNode node, bool on)
    {
        if (Answers(node))
        {
            var outcome = node.Core!.SetMaintenance(Time(node), on);
            Note("operator", $"maintenance {(on ? "on" : "off")} at {node.Name}: {outcome.Message}");
            Drain(node);
        }
    }

    /// <summary>
    /// The operator turns maintenance off at a node that answers, and tries again (at another) until every node that
    /// answers follows it off, as the tool waits for.
    /// </summary>
    private void MaintenanceOff()
    {
        if (_quiet)
        {
            return;
        }

        var answering = _nodes.Where(Answers).ToList();
        if (answering.Any(n => n.Core!.Maintenance))
        {
            Maintenance(_w.Pick(answering), on: false);
        }

        if (answering.Count == 0 || answering.Any(n => n.Core!.Maintenance))
        {
            _w.After(2 * _c.IntervalMs, MaintenanceOff);
        }
    }

    /// <summary>An operator cleans up a group (or all), at every node that answers (as the tool does) or at one.</summary>
    private void OperatorCleanup(SimNode node)
    {
        var group = _w.Chance(0.3) ? null : _w.Pick(_c.Groups).Name;
        foreach (var n in _w.Chance(0.7) ? _nodes.Where(Answers).ToList() : [node])
        {
            Cleanup(n, group);
        }
    }

    /// <summary>
    /// An operator's cleanup at a node (the tool's <c>cleanup</c>): failure counts and recovery ladders reset in the core
    /// and in the group's monitors (as the driver resets them); a group stopped by a final action may start again, and
    /// liveness then applies to it again.
    /// </summary>
    /// <param name="n">The node asked.</param>
    /// <param name="group">One group, or null for every group.</param>
    public void Cleanup(SimNode n, string? group)
    {
        if (!Answers(n))
        {
            return;
        }

        var stopped = StoppedAt(n, group);
        var outcome = n.Core!.Cleanup(Time(n), group);
        foreach (var monitor in n.Monitors)
        {
            if (group is null || monitor.Key == group || monitor.Key == AppMonitor(group))
            {
                monitor.Value.Failures = 0;
                monitor.Value.Escalation.Reset();
            }
        }

        Note("operator", $"cleanup{(group is null ? string.Empty : " of " + group)} at {n.Name}: {outcome.Message}");
        foreach (var g in stopped.Except(StoppedAt(n, group)))
        {
            // Started again on purpose: liveness applies to it again, from now (and the operators see to it that it runs).
            _stopRequested.Remove(g);
            _restartWanted.Add(g);
            LeverChanged();
        }

        Drain(n);
    }

    /// <summary>The groups (one, or all) whose newest claim a node knows is Stopped (by a final action).</summary>
    private List<string> StoppedAt(SimNode n, string? group) =>
        [.. n.Core!.GetView().Groups.Where(g => (group is null || g.Group == group) && g.OwnerState == GroupClaimState.Stopped).Select(g => g.Group)];

    /// <summary>The node's core says its operator settings changed: the node keeps them in its state file.</summary>
    private void OperatorStateKept(SimNode n, OperatorStateEffect state)
    {
        if (n.StateFile is not { } before || before.Standby != state.Standby)
        {
            n.StandbyChangedAt = _w.Now;
        }

        var maintenanceChanged = n.StateFile is not { } kept ? state.Maintenance : kept.Maintenance != state.Maintenance;
        n.StateFile = (state.Standby, state.Maintenance, state.MaintenanceVersion);
        LeverChanged();
        if (maintenanceChanged)
        {
            // While the running nodes disagree about maintenance, and as they come to agree, their verdicts on a loss
            // that began in maintenance are as far apart as the moments it ended at each: the fence delay cannot order them.
            var split = _nodes.Any(x => x.ProcessUp && x.Core!.Maintenance != state.Maintenance);
            if (split || _maintenanceSplit)
            {
                _raceTroubleAt = _w.Now;
            }

            _maintenanceSplit = split;
        }
    }

    /// <summary>Notes the groups this node has released for a named node (read from its core after every input).</summary>
    private void NoteHandOffs(SimNode n)
    {
        foreach (var g in _c.Groups)
        {
            if (n.Core!.HandedTo(g.Name) is { } to)
            {
                (_handedTo.TryGetValue(g.Name, out var set) ? set : _handedTo[g.Name] = []).Add(to);
            }
        }
    }

    /// <summary>A standby or maintenance setting changed somewhere: the liveness bounds apply afresh from now.</summary>
    private void LeverChanged() => _ownerlessSince.Clear();

    /// <summary>A node starts to activate a group: not while its operator has it on standby, nor while it follows maintenance (unless a peer handed the group to it).</summary>
    private void CheckActivationLevers(SimNode n, GroupOperationEffect effect)
    {
        if (effect.Operation != Groups.GroupOperation.Activate)
        {
            return;
        }

        if (n.Core!.OperatorStandby)
        {
            Violation($"{n.Name} starts to activate {effect.Group} ({effect.Reason}) although an operator put it on standby.");
        }

        // A hand-off is used once, by the node it names; a node cut off from the later owners may use it long after
        // (with a witness the lease still keeps the group on one node).
        var handed = _handedTo.TryGetValue(effect.Group, out var to) && to.Remove(n.Name);
        if (n.Core.Maintenance && !handed)
        {
            Violation($"{n.Name} starts to activate {effect.Group} ({effect.Reason}) although the cluster is in maintenance and no node handed the group to it.");
        }
    }

    /// <summary>A node fences, or takes a partition verdict: not while it follows maintenance.</summary>
    private void CheckMaintenanceDecision(SimNode n, string what)
    {
        if (n.Core!.Maintenance)
        {
            Violation($"{n.Name} {what} although the cluster is in maintenance.");
        }
    }

    /// <summary>
    /// In the quiet period the operators finish their work: every node on standby is taken off it and maintenance is
    /// turned off, at every node that still follows it, until none does (a node that starts again with its kept
    /// settings is taken care of when it answers). Liveness is judged from the moment the last one ended.
    /// </summary>
    private void FinishOperatorWork()
    {
        foreach (var n in _nodes)
        {
            if (n.ProcessUp && (n.Core!.OperatorStandby || n.Core.Maintenance))
            {
                _leversOnAt = _w.Now;
                _end = Math.Max(_end, _w.Now + _c.QuietMs);
            }
        }

        foreach (var g in _restartWanted.ToList())
        {
            // A cleanup started the group again, yet a node still knows it as stopped (the cleanup's news was lost, or
            // the node that took it restarted): the operators clean it up again, at every node, as the tool does.
            if (!_stopRequested.Contains(g) && _nodes.Any(n => Answers(n) && StoppedAt(n, g).Count > 0))
            {
                _leversOnAt = _w.Now;
                _end = Math.Max(_end, _w.Now + _c.QuietMs);
                foreach (var n in _nodes.Where(Answers).ToList())
                {
                    Cleanup(n, g);
                }
            }
        }

        foreach (var n in _nodes)
        {
            if (!Answers(n))
            {
                continue;
            }

            if (n.Core!.OperatorStandby)
            {
                Standby(n, on: false);
            }

            if (n.Core!.Maintenance)
            {
                Maintenance(n, on: false);
            }
        }

        if (!_converged)
        {
            _w.After(_c.IntervalMs, FinishOperatorWork);
        }
    }
}
