using System.Globalization;

namespace ClusterPro.Simulation;

/// <summary>Faults drawn from the seed: process, clock, network, AWS, drift, application and operator events.</summary>
internal sealed partial class Simulation
{
    private enum FaultKind
    {
        CrashRestart,
        InstanceStop,
        Pause,
        ClockStep,
        Partition,
        OneWay,
        Flaky,
        Delay,
        Duplicate,
        UplinkDown,
        AwsOutage,
        WitnessOutage,
        AwsThrottle,
        AwsErrors,
        AwsHangs,
        AwsSlow,
        Drift,
        AppBroken,
        OperatorMove,
        PlannedRestart,
        Asymmetric,
        OneWayLoss,
        LostAnswers,
        SlowStop,
        ClockDrift,
        ReleaseFails,
        LeaseTampered,
        QuickRestart,
        Stranger,
        EngineThrows,
        OperatorStandby,
        Maintenance,
        Cleanup,
    }

    /// <summary>The faults that apply to this cluster (a witness outage only where there is a witness).</summary>
    private FaultKind[]? _kinds;

    private void InjectRandomFault()
    {
        if (_quiet)
        {
            return;
        }

        _faults++;
        var kinds = _kinds ??= [.. Enum.GetValues<FaultKind>().Where(k => k is not (FaultKind.WitnessOutage or FaultKind.LeaseTampered) || _c.Witness)];
        var kind = kinds[_w.Rng.Next(kinds.Length)];
        var node = _w.Pick(_nodes);
        var other = _w.Pick(_nodes.Where(x => x != node).ToArray());
        var duration = _w.Between(2000, 40_000);
        switch (kind)
        {
            case FaultKind.CrashRestart:
                Note("fault", $"{node.Name}'s process crashes; it restarts in {Seconds(duration)} s");
                KillProcess(node, "crash");
                _w.After(duration, () => StartProcess(node));
                break;
            case FaultKind.InstanceStop:
                Note("fault", $"{node.Name}'s instance stops (AWS); an operator starts it in {Seconds(duration + 10_000)} s");
                StopInstance(node, forced: _w.Chance(0.5));
                _w.After(duration + 10_000, () => StartInstance(node));
                break;
            case FaultKind.Pause:
                var pause = _w.Between(300, _c.TimeoutMs * 5 / 2);
                Note("fault", $"{node.Name}'s process freezes for {Seconds(pause)} s");
                Freeze(node, pause);
                break;
            case FaultKind.ClockStep:
                var big = _w.Chance(0.15);
                var step = (big ? _w.Between(_c.MaxClockSkewMs + 5000, 3 * _c.MaxClockSkewMs) : _w.Between(200, 10_000)) * (_w.Chance(0.5) ? 1 : -1);
                Note("fault", $"{node.Name}'s clock steps by {Seconds(step)} s");
                node.ClockOffsetMs += step;
                node.ClockSteppedAt = _w.Now;
                if (big)
                {
                    _w.After(duration, () =>
                    {
                        if (!_quiet)
                        {
                            node.ClockOffsetMs -= step;
                            node.ClockSteppedAt = _w.Now;
                            Note("fault", $"{node.Name}'s clock is set right");
                        }
                    });
                }

                break;
            case FaultKind.Partition:
                var side = _nodes.Where(_ => _w.Chance(0.5)).ToArray();
                if (side.Length == 0 || side.Length == _nodes.Length)
                {
                    side = [node];
                }

                Split(side, duration);
                break;
            case FaultKind.OneWay:
                CutOneWay(node, other, duration);
                break;
            case FaultKind.Flaky:
                var loss = _w.Between(10, 70) / 100.0;
                Note("fault", $"{node.Name} ↔ {other.Name} loses {loss:P0} of packets for {Seconds(duration)} s");
                _net.SetLoss(node.Index, other.Index, loss, _w.Now);
                _net.SetLoss(other.Index, node.Index, loss, _w.Now);
                _w.After(duration, () =>
                {
                    _net.SetLoss(node.Index, other.Index, 0, _w.Now);
                    _net.SetLoss(other.Index, node.Index, 0, _w.Now);
                });
                break;
            case FaultKind.Delay:
                var delay = _w.Between(50, _c.IntervalMs * 2);
                Note("fault", $"{node.Name} → {other.Name} delays packets by up to {delay} ms (reordering) for {Seconds(duration)} s");
                _net.SetDelay(node.Index, other.Index, delay, _w.Now);
                _w.After(duration, () => _net.SetDelay(node.Index, other.Index, 0, _w.Now));
                break;
            case FaultKind.Duplicate:
                Note("fault", $"{node.Name} → {other.Name} duplicates packets for {Seconds(duration)} s");
                _net.SetDuplicate(node.Index, other.Index, 0.3);
                _w.After(duration, () => _net.SetDuplicate(node.Index, other.Index, 0));
                break;
            case FaultKind.UplinkDown:
                Note("fault", $"{node.Name} loses AWS and its network-partition target for {Seconds(duration)} s");
                node.UplinkDown++;
                _w.After(duration, () =>
                {
                    node.UplinkDown = Math.Max(0, node.UplinkDown - 1);
                    _awsRestoredAt[node.Index] = _w.Now;
                });
                break;
            case FaultKind.AwsOutage:
                var outage = _w.Between(2000, 30_000);
                Note("fault", $"AWS is unreachable for {Seconds(outage)} s");
                _aws.Outage++;
                _w.After(outage, () =>
                {
                    _aws.Outage = Math.Max(0, _aws.Outage - 1);
                    Array.Fill(_awsRestoredAt, _w.Now);
                });
                break;
            case FaultKind.WitnessOutage:
                var down = _w.Between(2000, 30_000);
                Note("fault", $"the witness table is unreachable for {Seconds(down)} s");
                _aws.WitnessOutage++;
                _w.After(down, () => _aws.WitnessOutage = Math.Max(0, _aws.WitnessOutage - 1));
                break;
            case FaultKind.AwsThrottle:
                var rate = _w.Between(30, 80) / 100.0;
                Note("fault", $"AWS throttles {rate:P0} of calls for {Seconds(duration)} s");
                _aws.ThrottleRate = rate;
                _w.After(duration, () => _aws.ThrottleRate = 0);
                break;
            case FaultKind.AwsErrors:
                var errors = _w.Between(20, 60) / 100.0;
                Note("fault", $"AWS fails {errors:P0} of calls (5xx) for {Seconds(duration)} s");
                _aws.ErrorRate = errors;
                _w.After(duration, () => _aws.ErrorRate = 0);
                break;
            case FaultKind.AwsHangs:
                var hangs = _w.Between(10, 40) / 100.0;
                Note("fault", $"AWS never answers {hangs:P0} of calls for {Seconds(duration)} s");
                _aws.HangRate = hangs;
                _w.After(duration, () => _aws.HangRate = 0);
                break;
            case FaultKind.AwsSlow:
                var latency = _w.Between(500, 2 * _c.AwsCallTimeoutMs);
                Note("fault", $"AWS calls take up to {latency} ms for {Seconds(duration)} s");
                _aws.ExtraLatencyMs = latency;
                _w.After(duration, () => _aws.ExtraLatencyMs = 0);
                break;
            case FaultKind.Drift:
                var group = _w.Pick(_c.Groups);
                var to = _w.Chance(0.2) ? null : _w.Pick(_nodes).Name;
                Note("fault", $"someone points {group.Name}'s resources at {to ?? "nothing"}");
                _aws.Eip[group.Name] = to;
                for (var t = 0; t < group.RouteTables; t++)
                {
                    if (_w.Chance(0.5))
                    {
                        _aws.Routes[group.Name][t] = to;
                    }
                }

                break;
            case FaultKind.AppBroken:
                var g = _w.Pick(_c.Groups);
                Note("fault", $"the application of {g.Name} breaks on {node.Name} for {Seconds(duration)} s");
                node.AppBrokenUntil[g.Name] = _w.Now + duration;
                break;
            case FaultKind.OperatorMove or FaultKind.OperatorStandby or FaultKind.Maintenance or FaultKind.Cleanup:
                OperatorFault(kind, node, duration);
                break;
            case FaultKind.Asymmetric:
                // Each way its own loss and delay: one node hears the other better than it is heard.
                var there = _w.Between(0, 60) / 100.0;
                var back = _w.Chance(0.5) ? 0 : _w.Between(0, 95) / 100.0;
                var lag = _w.Between(0, _c.IntervalMs);
                Note("fault", $"{node.Name} → {other.Name} loses {there:P0} and lags up to {lag} ms, {other.Name} → {node.Name} loses {back:P0}, for {Seconds(duration)} s");
                _net.SetLoss(node.Index, other.Index, there, _w.Now);
                _net.SetDelay(node.Index, other.Index, lag, _w.Now);
                _net.SetLoss(other.Index, node.Index, back, _w.Now);
                _w.After(duration, () =>
                {
                    _net.SetLoss(node.Index, other.Index, 0, _w.Now);
                    _net.SetDelay(node.Index, other.Index, 0, _w.Now);
                    _net.SetLoss(other.Index, node.Index, 0, _w.Now);
                });
                break;
            case FaultKind.OneWayLoss:
                var oneWay = _w.Between(30, 95) / 100.0;
                Note("fault", $"{node.Name} → {other.Name} loses {oneWay:P0} of packets (the other way is fine) for {Seconds(duration)} s");
                _net.SetLoss(node.Index, other.Index, oneWay, _w.Now);
                _w.After(duration, () => _net.SetLoss(node.Index, other.Index, 0, _w.Now));
                break;
            case FaultKind.LostAnswers:
                var lostRate = _w.Between(20, 70) / 100.0;
                Note("fault", $"AWS loses {lostRate:P0} of its answers after acting on the call (the callers time out) for {Seconds(duration)} s");
                _aws.LostAnswerRate = lostRate;
                _w.After(duration, () => _aws.LostAnswerRate = 0);
                break;
            case FaultKind.SlowStop:
                Note("fault", $"stopping {node.Name}'s instance takes longer than fencing waits for, for {Seconds(duration)} s");
                node.SlowStopUntil = _w.Now + duration;
                break;
            case FaultKind.ClockDrift:
                var ppm = (int)_w.Between(2000, 50_000) * (_w.Chance(0.5) ? 1 : -1);
                Note("fault", $"{node.Name}'s wall clock drifts {ppm / 1000.0:0.#} ms a second for {Seconds(duration)} s");
                SetWallDrift(node, ppm);
                _w.After(duration, () => SetWallDrift(node, 0));
                break;
            case FaultKind.ReleaseFails:
                Note("fault", $"releasing the VIP from {node.Name}'s interface fails for {Seconds(duration)} s");
                node.ReleaseFailsUntil = _w.Now + duration;
                break;
            case FaultKind.LeaseTampered:
                // Someone writes the witness table by hand (a restore from a backup, a script): a held lease gets a
                // new epoch and record version (its holder's next renewal is refused; the others time it afresh); a
                // released one is deleted.
                TamperLease(_w.Pick(_c.Groups).Name);
                break;
            case FaultKind.QuickRestart:
                // Its heartbeats lag (some by seconds) while its process crashes and restarts within a second: the
                // old run's heartbeats arrive after the new run's.
                Note("fault", $"{node.Name}'s heartbeats lag up to 3 s; its process restarts in a moment");
                foreach (var peer in _nodes.Where(x => x != node))
                {
                    _net.SetDelay(node.Index, peer.Index, 3000, _w.Now);
                }

                var run = node.Generation;
                _w.After(_w.Between(500, 2000), () =>
                {
                    if (node.Generation == run)
                    {
                        KillProcess(node, "crash");
                        _w.After(_w.Between(100, 600), () => StartProcess(node));
                    }
                });
                _w.After(6000, () =>
                {
                    foreach (var peer in _nodes.Where(x => x != node))
                    {
                        _net.SetDelay(node.Index, peer.Index, 0, _w.Now);
                    }
                });
                break;
            case FaultKind.Stranger:
                // A machine that is not a cluster node (a copy of a node's configuration elsewhere) sends heartbeats.
                if (node.ProcessUp && !node.Paused(_w.Now))
                {
                    Note("fault", $"a machine outside the cluster sends {node.Name} a heartbeat as node9");
                    node.Core!.Receive(Time(node), new Failover.HeartbeatMessage("node9", 9, 1, Time(node).Wall.ToUnixTimeMilliseconds(), Failover.NodeMode.Running, false, [], []));
                    Drain(node);
                }

                break;
            case FaultKind.EngineThrows:
                Note("fault", $"activations on {node.Name} throw (a plug-in's bug) for {Seconds(duration)} s");
                node.EngineThrowsUntil = _w.Now + duration;
                break;
            case FaultKind.PlannedRestart:
                if (node.ProcessUp && !node.Paused(_w.Now))
                {
                    Note("operator", $"stops {node.Name} in order; it starts again {Seconds(duration)} s after it left");
                    node.Core!.Leave(Time(node), "planned restart");
                    Drain(node);
                    var gen = node.Generation;
                    WhenDown(node, gen, () => _w.After(duration, () => StartProcess(node)));
                }

                break;
        }
    }

    /// <summary>Cuts every link between <paramref name="side"/> and the rest, both ways.</summary>
    public void Split(IReadOnlyCollection<SimNode> side, long duration)
    {
        var rest = _nodes.Except(side).ToArray();
        Note("fault", $"partition {{{string.Join(",", side.Select(x => x.Name))}}} | {{{string.Join(",", rest.Select(x => x.Name))}}} for {Seconds(duration)} s");
        foreach (var a in side)
        {
            foreach (var b in rest)
            {
                _net.Cut(a.Index, b.Index, _w.Now);
                _net.Cut(b.Index, a.Index, _w.Now);
            }
        }

        _w.After(duration, () =>
        {
            foreach (var a in side)
            {
                foreach (var b in rest)
                {
                    _net.Restore(a.Index, b.Index, _w.Now);
                    _net.Restore(b.Index, a.Index, _w.Now);
                }
            }
        });
    }

    /// <summary>
    /// Someone writes the witness table by hand (a restore from a backup, a script): a held lease gets a new epoch and
    /// record version (its holder's next renewal is refused; the others time it afresh); a released one is deleted.
    /// </summary>
    /// <param name="group">The group whose lease is written.</param>
    public void TamperLease(string group)
    {
        if (_aws.Leases.TryGetValue(group, out var record))
        {
            Note("fault", record.Owner is null ? $"someone deletes the released lease of {group}" : $"someone rewrites the lease of {group} with epoch {record.Epoch + 1}");
            if (record.Owner is null)
            {
                _aws.Leases.Remove(group);
            }
            else
            {
                _aws.Leases[group] = record with { Epoch = record.Epoch + 1, RecordVersion = $"tampered-{_w.Now}" };
            }
        }
    }

    /// <summary>Cuts the link from <paramref name="from"/> to <paramref name="to"/> (one way) for a while.</summary>
    public void CutOneWay(SimNode from, SimNode to, long duration)
    {
        Note("fault", $"{from.Name} → {to.Name} loses every packet for {Seconds(duration)} s");
        _net.Cut(from.Index, to.Index, _w.Now);
        _w.After(duration, () => _net.Restore(from.Index, to.Index, _w.Now));
    }

    /// <summary>Freezes a node's process (a GC stall, a frozen VM): its timers and inputs wait until it resumes.</summary>
    public void Freeze(SimNode node, long duration)
    {
        node.PausedUntil = Math.Max(node.PausedUntil, _w.Now + duration);
        Touch();
        var gen = node.Generation;
        _w.After(duration, () =>
        {
            if (node.Generation == gen)
            {
                Resume(node);
            }
        });
    }

    private void WhenDown(SimNode node, int gen, Action then)
    {
        if (node.Generation != gen)
        {
            then();
            return;
        }

        _w.After(_c.IntervalMs, () => WhenDown(node, gen, then));
    }

    /// <summary>All faults end, clocks are set right, and operators bring every machine and service back (and end their standbys and maintenance).</summary>
    private void BeginQuiet()
    {
        _quiet = true;
        _quietAt = _w.Now;
        Note("quiet", "every fault ends; operators start every stopped instance and service, and end every standby and maintenance");
        _w.After(_c.IntervalMs, WatchConvergence);
        _w.After(_c.IntervalMs / 2, FinishOperatorWork);
        _net.HealAll(_w.Now);
        _aws.Heal();
        Array.Fill(_awsRestoredAt, _w.Now);
        foreach (var n in _nodes)
        {
            n.UplinkDown = 0;
            SetWallDrift(n, 0);
            if (n.ClockOffsetMs != 0)
            {
                // Setting the clock right is a step too: heartbeats dropped for skew until now were not heard.
                n.ClockSteppedAt = _w.Now;
            }

            n.ClockOffsetMs = 0;
            n.ReleaseFailsUntil = 0;
            n.SlowStopUntil = 0;
            n.EngineThrowsUntil = 0;
            n.AppBrokenUntil.Clear();
            if (n.PausedUntil > _w.Now)
            {
                n.PausedUntil = _w.Now;
                Resume(n);
            }

            var node = n;
            _w.After(_w.Between(0, 3000), () =>
            {
                if (node.Instance == InstanceState.Stopped)
                {
                    StartInstance(node);
                }
                else if (!node.ProcessUp && node.Instance == InstanceState.Running)
                {
                    StartProcess(node);
                }
            });
        }
    }

    private static string Seconds(long ms) => (ms / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}
