using ClusterPro.Failover;
using ClusterPro.Groups;
using ClusterPro.Monitoring;

namespace ClusterPro.Simulation;

/// <summary>The model of the real driver: what <c>FailoverManager</c> does with the core's effects, on simulated time.</summary>
internal sealed partial class Simulation
{
    private const int Vip = 0;
    private const int Eip = 1;
    private const int Dns = 2;
    private static readonly string[] ResourceNames = ["vip", "eip", "dns"];

    /// <summary>Starts the node's cluster process: a fresh core with a new incarnation, its timers and monitors.</summary>
    public void StartProcess(SimNode n)
    {
        if (n.ProcessUp || n.Instance != InstanceState.Running)
        {
            return;
        }

        n.Generation++;
        n.ProcessUp = true;
        n.PausedUntil = 0;
        n.Deferred.Clear();
        n.Operations.Clear();
        n.Fences.Clear();
        n.StartedAt = _w.Now;
        n.DownSince = -1;
        n.ActiveResources.Clear();
        n.FailoverCounts.Clear();
        n.Monitors.Clear();
        foreach (var g in _c.Groups)
        {
            n.ActiveResources[g.Name] = new bool[3];
            n.FailoverCounts[g.Name] = new int[3];
            n.Monitors[g.Name] = new MonitorModel(new RecoveryOptions { TargetKind = RecoveryTargetKind.Group, Target = g.Name, ReactivationThreshold = 2, FailoverThreshold = 1, FinalAction = FinalAction.None });
            n.Monitors[AppMonitor(g.Name)] = new MonitorModel(new RecoveryOptions { TargetKind = RecoveryTargetKind.Group, Target = g.Name, ReactivationThreshold = 2, FailoverThreshold = 1, FinalAction = _c.AppMonitorFinalAction });
        }

        n.Core = new FailoverCore(_c.CoreSettings(n.Name), _w.Rng.NextInt64(1, long.MaxValue), Time(n));
        if (n.StateFile is { } kept)
        {
            // As the driver does: the operator's settings of the last run, from the node's state directory.
            n.Core.RestoreOperatorState(kept.Standby, kept.Maintenance, kept.Version);
            n.StandbyChangedAt = kept.Standby ? _w.Now : n.StandbyChangedAt;
        }

        Note(n.Name, "process started");
        Drain(n);
        var gen = n.Generation;
        _w.At(_w.Now, new SimEvent(SimEventKind.Heartbeat, null, n, null, gen));
        _w.At(_w.Now + (_c.IntervalMs / 2), new SimEvent(SimEventKind.Tick, null, n, null, gen));
        foreach (var g in _c.Groups)
        {
            var group = g.Name;
            _w.After(_w.Between(0, _c.MonitorIntervalMs), () => MonitorTimer(n, gen, group));
        }
    }

    /// <summary>Ends the process where it stands (a crash, an OS shutdown): nothing it knew survives.</summary>
    public void KillProcess(SimNode n, string why)
    {
        if (!n.ProcessUp)
        {
            return;
        }

        n.ProcessUp = false;
        n.Generation++;
        n.Core = null;
        Touch();
        n.Deferred.Clear();
        n.Operations.Clear();
        n.Fences.Clear();
        n.DownSince = _w.Now;
        Note(n.Name, $"process ended ({why})");
    }

    /// <summary>Runs an input on the node's process, unless it ended meanwhile; a frozen process runs it when it resumes.</summary>
    private void OnNode(SimNode n, int gen, Action action)
    {
        if (n.Generation != gen || !n.ProcessUp)
        {
            return;
        }

        if (n.Paused(_w.Now))
        {
            n.Deferred.Add(() =>
            {
                if (n.Generation == gen && n.ProcessUp)
                {
                    action();
                }
            });
            return;
        }

        action();
    }

    public void Resume(SimNode n)
    {
        Touch();
        if (n.Paused(_w.Now) || n.Deferred.Count == 0)
        {
            return;
        }

        var pending = n.Deferred.ToList();
        n.Deferred.Clear();
        foreach (var a in pending)
        {
            a();
        }
    }

    /// <summary>Runs a delivery or a timer (events kept as values).</summary>
    private void Dispatch(SimEvent e)
    {
        var n = e.Node!;
        switch (e.Kind)
        {
            case SimEventKind.Deliver:
                if (!n.ProcessUp)
                {
                    return;
                }

                if (n.Paused(_w.Now))
                {
                    var message = e.Message!;
                    Deliver(n, message);
                    return;
                }

                n.HeardFrom[e.Message!.Node] = _w.Now;
                n.Core!.Receive(Time(n), e.Message!);
                Drain(n);
                break;
            case SimEventKind.Tick:
                if (n.Generation != e.Generation || !n.ProcessUp)
                {
                    return;
                }

                if (n.Paused(_w.Now))
                {
                    OnNode(n, e.Generation, () => Dispatch(e));
                    return;
                }

                n.Core!.Tick(Time(n));
                Drain(n);
                _w.At(_w.Now + (_c.IntervalMs / 2) + (n.TickJitterMs > 0 ? _w.Between(0, n.TickJitterMs) : 0), e);
                break;
            default:
                if (n.Generation != e.Generation || !n.ProcessUp)
                {
                    return;
                }

                if (n.Paused(_w.Now))
                {
                    OnNode(n, e.Generation, () => Dispatch(e));
                    return;
                }

                SendHeartbeat(n);
                _w.At(_w.Now + _c.IntervalMs, e);
                break;
        }
    }

    private void SendHeartbeat(SimNode n)
    {
        var core = n.Core!;
        if (core.Mode == NodeMode.Stopped)
        {
            return;
        }

        var message = core.CreateHeartbeat(Time(n));
        foreach (var peer in _nodes)
        {
            if (peer == n)
            {
                continue;
            }

            _lastSent[n.Index, peer.Index] = message;
            if (_net.Fate(_w, n.Index, peer.Index) is not { } fate)
            {
                continue;
            }

            _w.At(_w.Now + fate.First, new SimEvent(SimEventKind.Deliver, null, peer, message, 0));
            if (fate.Second is { } again)
            {
                _w.At(_w.Now + again, new SimEvent(SimEventKind.Deliver, null, peer, message, 0));
            }
        }
    }

    /// <summary>Delivers again, after <paramref name="delay"/>, the last heartbeat <paramref name="from"/> sent <paramref name="to"/> (a packet the network held back).</summary>
    public void Replay(SimNode from, SimNode to, long delay)
    {
        if (_lastSent[from.Index, to.Index] is { } message)
        {
            _w.At(_w.Now + delay, new SimEvent(SimEventKind.Deliver, null, to, message, 0));
        }
    }

    private void Deliver(SimNode to, HeartbeatMessage message) => OnNode(to, to.Generation, () =>
    {
        to.HeardFrom[message.Node] = _w.Now;
        to.Core!.Receive(Time(to), message);
        Drain(to);
    });

    /// <summary>Performs what the core asked for, as the real driver does.</summary>
    private void Drain(SimNode n)
    {
        var core = n.Core;
        if (core is null || !core.HasEffects)
        {
            return;
        }

        Touch();
        NoteHandOffs(n);
        var gen = n.Generation;
        foreach (var effect in core.TakeEffects())
        {
            switch (effect)
            {
                case BroadcastEffect:
                    _w.After(0, () => OnNode(n, gen, () => SendHeartbeat(n)));
                    break;
                case EventEffect e:
                    if (e.Kind == FailoverEventKind.GroupActivated && e.Succeeded && n.Monitors.TryGetValue(e.Subject, out var watching))
                    {
                        // A group that comes up complete starts its monitors' recovery ladders afresh.
                        watching.Escalation.Reset();
                        watching.Failures = 0;
                        n.Monitors[AppMonitor(e.Subject)].Escalation.Reset();
                        n.Monitors[AppMonitor(e.Subject)].Failures = 0;
                    }

                    if (e.Kind == FailoverEventKind.PartitionVerdict)
                    {
                        CheckMaintenanceDecision(n, $"takes a partition verdict ({e.Detail})");
                    }

                    var happened = new FailoverEvent(Epoch.AddMilliseconds(_w.Now), n.Name, e.Kind, e.Subject, e.Detail, e.Succeeded);
                    Events.Add((_w.Now, n.Name, happened));
                    OnEvent?.Invoke(this, n, happened);
                    if (_timeline is not null && e.Kind is not (FailoverEventKind.ResourceActivated or FailoverEventKind.ResourceDeactivated))
                    {
                        Note(n.Name, $"{e.Kind} {e.Subject}: {e.Detail}{(e.Succeeded ? string.Empty : " [failed]")}");
                    }

                    break;
                case ProbeEffect p:
                    Probe(n, gen, p.Id);
                    break;
                case FenceEffect f:
                    CheckMaintenanceDecision(n, $"starts fencing {f.Peer}");
                    if (n.Fences.ContainsValue(f.Peer))
                    {
                        Violation($"{n.Name} asked to fence {f.Peer} while a fence of {f.Peer} was still running.");
                    }

                    CheckFenceStart(n, f.Peer);
                    n.Fences[f.Id] = f.Peer;
                    Fence(n, gen, f.Id, f.Peer);
                    break;
                case GroupOperationEffect g:
                    CheckTakeover(n, g);
                    CheckActivationLevers(n, g);
                    StartOperation(n, gen, new SimOperation(g.Id, g.Group, g.Operation == GroupOperation.Activate ? "Activate" : "Deactivate"));
                    break;
                case ReactivateEffect r:
                    StartOperation(n, gen, new SimOperation(r.Id, r.Group, "Reactivate"));
                    break;
                case CancelEffect c:
                    if (n.Operations.TryGetValue(c.Id, out var op))
                    {
                        op.Cancelled = true;
                        var abort = op.Abort;
                        _w.After(0, () => abort?.Invoke());
                    }

                    break;
                case FinalActionEffect a:
                    HostFinalAction(n, a.Request);
                    break;
                case LeaseEffect l:
                    Lease(n, gen, l);
                    break;
                case OperatorStateEffect o:
                    OperatorStateKept(n, o);
                    break;
                case StoppedEffect s:
                    // The last heartbeats say "left"; then the service ends.
                    for (var i = 0; i < 3; i++)
                    {
                        _w.After(i, () => OnNode(n, gen, () => SendHeartbeatAnyway(n)));
                    }

                    _w.After(5, () => OnNode(n, gen, () => KillProcess(n, $"left the cluster: {s.Reason}")));
                    break;
            }
        }
    }

    private void SendHeartbeatAnyway(SimNode n)
    {
        var core = n.Core!;
        var message = core.CreateHeartbeat(Time(n));
        foreach (var peer in _nodes)
        {
            if (peer != n && _net.Fate(_w, n.Index, peer.Index) is { } fate)
            {
                var to = peer;
                _w.After(fate.First, () => Deliver(to, message));
            }
        }
    }

    private void StartOperation(SimNode n, int gen, SimOperation op)
    {
        foreach (var other in n.Operations.Values)
        {
            if (other.Group == op.Group)
            {
                Violation($"{n.Name} asked for {op.Kind} of {op.Group} while {other.Kind} of it was still running.");
            }
        }

        n.Operations[op.Id] = op;
        OnOperation?.Invoke(this, n, op);
        switch (op.Kind)
        {
            case "Activate":
                ActivateFrom(n, gen, op, Vip, []);
                break;
            case "Deactivate":
                DeactivateFrom(n, gen, op, Dns);
                break;
            default:
                Reactivate(n, gen, op, Vip);
                break;
        }
    }

    private void FinishOperation(SimNode n, SimOperation op, GroupOutcome? outcome, FinalAction? action, string summary)
    {
        op.Done = true;
        n.Operations.Remove(op.Id);
        var anyActive = n.ActiveResources[op.Group].Any(a => a);
        if (op.Kind == "Reactivate")
        {
            n.Core!.ReactivationCompleted(Time(n), op.Id, outcome == GroupOutcome.Succeeded);
        }
        else
        {
            n.Core!.GroupOperationCompleted(Time(n), op.Id, new GroupOperationOutcome(outcome, action, anyActive, summary));
        }

        Drain(n);
    }

    /// <summary>The group engine's activation: resources in order; a failure asks for a failover once, then stops (final action None).</summary>
    private void ActivateFrom(SimNode n, int gen, SimOperation op, int resource, List<string> done)
    {
        if (resource > Dns)
        {
            FinishOperation(n, op, GroupOutcome.Succeeded, null, $"{op.Group} active on {n.Name}");
            return;
        }

        // As the real driver does, the core is asked before every step (a cancelled activation is told to stop there).
        if (StepBudget(n, op) is not { } budget)
        {
            FinishOperation(n, op, null, null, $"activation of {op.Group} on {n.Name} stopped before {ResourceNames[resource]} (after {string.Join(",", done)}): it may not go on");
            return;
        }

        if (_w.Now < n.EngineThrowsUntil)
        {
            // A bug in a resource plug-in or the group engine: the operation ends with an exception, its outcome unknown.
            FinishOperation(n, op, null, null, $"activation of {op.Group} on {n.Name} threw during {ResourceNames[resource]}");
            return;
        }

        RunResource(n, gen, op, resource, activate: true, budget, ok =>
        {
            n.ActiveResources[op.Group][resource] = ok;
            if (op.Cancelled)
            {
                FinishOperation(n, op, null, null, $"activation of {op.Group} on {n.Name} cancelled during {ResourceNames[resource]}");
                return;
            }

            var counts = n.FailoverCounts[op.Group];
            if (ok)
            {
                counts[resource] = 0;
                done.Add(ResourceNames[resource]);
                ActivateFrom(n, gen, op, resource + 1, done);
            }
            else if (counts[resource] < 1)
            {
                counts[resource]++;
                FinishOperation(n, op, GroupOutcome.FailoverRequested, null, $"activating {ResourceNames[resource]} of {op.Group} on {n.Name} failed; failover requested");
            }
            else if (_c.ActivationFinalAction == FinalAction.StopGroup)
            {
                // The resource's final action StopGroup: the group engine deactivates the whole group and stops it.
                _stopRequested.Add(op.Group);
                StopGroupFrom(n, gen, op, Dns, ResourceNames[resource]);
            }
            else
            {
                FinishOperation(n, op, GroupOutcome.FinalActionTaken, FinalAction.None, $"activating {ResourceNames[resource]} of {op.Group} on {n.Name} failed; final action None");
            }
        });
    }

    /// <summary>The final action StopGroup inside an activation: every resource deactivated in reverse, then the activation ends.</summary>
    private void StopGroupFrom(SimNode n, int gen, SimOperation op, int resource, string failed)
    {
        if (resource < Vip)
        {
            FinishOperation(n, op, GroupOutcome.FinalActionTaken, FinalAction.StopGroup, $"activating {failed} of {op.Group} on {n.Name} failed; final action StopGroup");
            return;
        }

        RunResource(n, gen, op, resource, activate: false, _c.ResourceTimeoutMs, ok =>
        {
            if (ok)
            {
                n.ActiveResources[op.Group][resource] = false;
            }

            StopGroupFrom(n, gen, op, resource - 1, failed);
        });
    }

    /// <summary>The group engine's deactivation: every resource in reverse; a failure takes the deactivation final action (stop the service and shut down).</summary>
    private void DeactivateFrom(SimNode n, int gen, SimOperation op, int resource)
    {
        if (resource < Vip)
        {
            FinishOperation(n, op, GroupOutcome.Succeeded, null, $"{op.Group} released on {n.Name}");
            return;
        }

        RunResource(n, gen, op, resource, activate: false, _c.ResourceTimeoutMs, ok =>
        {
            if (ok)
            {
                n.ActiveResources[op.Group][resource] = false;
                DeactivateFrom(n, gen, op, resource - 1);
                return;
            }

            var action = _c.ReleaseFinalAction;
            if (action != FinalAction.None)
            {
                n.Core!.RequestFinalAction(Time(n), new FinalActionRequest(action, ResourceNames[resource], n.Name, op.Group, $"Deactivating {ResourceNames[resource]} resource has failed."));
            }

            FinishOperation(n, op, GroupOutcome.FinalActionTaken, action, $"deactivating {ResourceNames[resource]} of {op.Group} on {n.Name} failed");
        });
    }

    private void Reactivate(SimNode n, int gen, SimOperation op, int resource)
    {
        if (resource > Dns)
        {
            FinishOperation(n, op, GroupOutcome.Succeeded, null, $"{op.Group} reactivated on {n.Name}");
            return;
        }

        if (StepBudget(n, op) is not { } budget)
        {
            FinishOperation(n, op, null, null, $"reactivation of {op.Group} on {n.Name} stopped before {ResourceNames[resource]}: it may not go on");
            return;
        }

        RunResource(n, gen, op, resource, activate: true, budget, ok =>
        {
            n.ActiveResources[op.Group][resource] = ok;
            if (ok || op.Cancelled)
            {
                Reactivate(n, gen, op, resource + 1);
            }
            else
            {
                FinishOperation(n, op, GroupOutcome.FinalActionTaken, FinalAction.None, $"reactivating {ResourceNames[resource]} of {op.Group} on {n.Name} failed");
            }
        });
    }

    /// <summary>
    /// As the real driver does before every activation step: asks the core how long the step may run; null when it must
    /// stop (the step's timeout otherwise, bounded by the lease's remaining time with a witness).
    /// </summary>
    private long? StepBudget(SimNode n, SimOperation op)
    {
        var budget = n.Core!.ActivationStepBudget(Time(n), op.Id);
        if (budget is { } b && b <= TimeSpan.Zero)
        {
            return null;
        }

        return budget is { } bound ? Math.Min(_c.ResourceTimeoutMs, Math.Max(1, (long)bound.TotalMilliseconds)) : _c.ResourceTimeoutMs;
    }

    /// <summary>One resource operation bounded by its timeout; its AWS calls may land after it gave up.</summary>
    private void RunResource(SimNode n, int gen, SimOperation op, int resource, bool activate, long timeoutMs, Action<bool> done)
    {
        var finished = false;
        void Finish(bool ok) => OnNode(n, gen, () =>
        {
            if (!finished && !op.Done)
            {
                finished = true;
                done(ok);
            }
        });

        _w.After(timeoutMs, () => Finish(false));
        op.Abort = () => Finish(false);
        var group = op.Group;
        var self = n.Name;
        if (activate && _c.Witness)
        {
            CheckWriteUnderLease(n, group, ResourceNames[resource]);
        }

        switch (resource, activate)
        {
            case (Vip, true):
                var tables = _aws.Routes[group].Length;
                var pending = tables;
                var allOk = true;
                for (var t = 0; t < tables; t++)
                {
                    var table = t;
                    AwsCall(n, () => _aws.Routes[group][table] = self, outcome =>
                    {
                        allOk &= outcome == AwsOutcome.Ok;
                        if (--pending == 0)
                        {
                            Finish(allOk);
                        }
                    });
                }

                break;
            case (Vip, false):
                // Removing the VIP from the node's own interface: local, immediate, and it may fail.
                Finish(_w.Now >= n.ReleaseFailsUntil);
                break;
            case (Eip, true):
                AwsCall(n, () => _aws.Eip[group] = self, outcome => Finish(outcome == AwsOutcome.Ok));
                break;
            case (Eip, false):
                AwsCall(n, () =>
                {
                    if (_aws.Eip.GetValueOrDefault(group) == self)
                    {
                        _aws.Eip[group] = null;
                    }
                }, outcome => Finish(outcome == AwsOutcome.Ok));
                break;
            case (Dns, true):
                AwsCall(n, () => _aws.Record[group] = self, outcome => Finish(outcome == AwsOutcome.Ok));
                break;
            default:
                AwsCall(n, () =>
                {
                    if (_aws.Record.GetValueOrDefault(group) == self)
                    {
                        _aws.Record[group] = null;
                    }
                }, outcome => Finish(outcome == AwsOutcome.Ok));
                break;
        }
    }

    /// <summary>Gives a node's core an input (an operator's or a monitor's), then performs what it asks for.</summary>
    /// <param name="n">The node.</param>
    /// <param name="input">The input.</param>
    public void Act(SimNode n, Action<FailoverCore, CoreTime> input)
    {
        if (n.ProcessUp && !n.Paused(_w.Now))
        {
            input(n.Core!, Time(n));
            Drain(n);
        }
    }

}
