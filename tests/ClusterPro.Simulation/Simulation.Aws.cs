using ClusterPro.Failover;

namespace ClusterPro.Simulation;

/// <summary>The simulated AWS as the nodes call it: API calls, probes, the witness table, fencing, instances and the host's final actions.</summary>
internal sealed partial class Simulation
{
    /// <summary>
    /// One AWS call from a node: it needs the node's uplink and AWS up; AWS may throttle (retried with backoff, as the
    /// SDK does), fail, hang or be slow. The write is applied when the request reaches AWS, whether or not the answer
    /// ever gets back; the caller's timeout ends the wait. The answer reaches the node's process only if it is still
    /// the same run (a frozen process gets it when it resumes).
    /// </summary>
    private void AwsCall(SimNode n, Action write, Action<AwsOutcome> done, int attempt = 0, long started = -1, long timeoutMs = 0, bool witness = false)
    {
        var gen = n.Generation;
        started = started < 0 ? _w.Now : started;
        timeoutMs = timeoutMs > 0 ? timeoutMs : _c.AwsCallTimeoutMs;
        var answered = false;
        void Answer(AwsOutcome outcome)
        {
            if (!answered)
            {
                answered = true;
                done(outcome);
            }
        }

        var deadline = started + timeoutMs;
        _w.At(deadline, () => Answer(AwsOutcome.NoAnswer));
        if (!ReachesAws(n) || (witness && _aws.WitnessOutage > 0))
        {
            return;
        }

        var there = _w.Between(5, 40) + n.AwsLatencyMs + (_aws.ExtraLatencyMs > 0 ? _w.Between(_aws.ExtraLatencyMs / 2, _aws.ExtraLatencyMs) : 0);
        var back = _w.Between(5, 40);
        _w.After(there, () =>
        {
            if (_aws.Outage > 0 || (witness && _aws.WitnessOutage > 0) || _w.Chance(_aws.HangRate))
            {
                return;
            }

            if (_w.Chance(_aws.ThrottleRate))
            {
                _w.After(back, () =>
                {
                    if (n.Generation != gen || answered)
                    {
                        return;
                    }

                    var backoff = 100L << Math.Min(attempt, 4);
                    if (attempt < 3 && _w.Now + backoff < deadline)
                    {
                        _w.After(backoff, () => AwsCall(n, write, Answer, attempt + 1, started, timeoutMs, witness));
                    }
                    else
                    {
                        Answer(AwsOutcome.Error);
                    }
                });
                return;
            }

            if (_w.Chance(_aws.ErrorRate))
            {
                _w.After(back, () => Answer(AwsOutcome.Error));
                return;
            }

            write();
            var lost = _w.Chance(_aws.LostAnswerRate);
            _w.After(back, () =>
            {
                if (n.UplinkDown == 0 && !lost)
                {
                    Answer(AwsOutcome.Ok);
                }
            });
        });
    }

    /// <summary>The network-partition target (not the AWS API endpoint) is reached over the node's uplink.</summary>
    private void Probe(SimNode n, int gen, long id)
    {
        var reachable = n.UplinkDown == 0;
        var after = reachable ? _w.Between(_c.ProbeAnswerMinMs, _c.ProbeAnswerMaxMs) : _c.ProbeTimeoutMs;
        _w.After(after, () => OnNode(n, gen, () =>
        {
            n.Core!.ProbeCompleted(Time(n), id, reachable, reachable ? "HEAD answered 200." : $"HEAD gave no answer within {_c.ProbeTimeoutMs} ms.");
            Drain(n);
        }));
    }

    /// <summary>
    /// A witness call to the simulated DynamoDB table: the conditional write is decided and applied when the request
    /// reaches AWS; its answer may be lost (unknown), and the caller's timeout ends the wait.
    /// </summary>
    private void Lease(SimNode n, int gen, LeaseEffect effect)
    {
        ClusterPro.Witness.LeaseRecord? found = null;
        var outcome = ClusterPro.Witness.LeaseOutcome.Unknown;
        var sent = _w.Now;
        var group = effect.Group;
        void Apply()
        {
            var current = _aws.Leases.GetValueOrDefault(group);
            found = current;
            switch (effect.Call)
            {
                case LeaseCall.Read:
                    outcome = ClusterPro.Witness.LeaseOutcome.Held;
                    break;
                case LeaseCall.Acquire:
                    var a = effect.Acquisition!;
                    if ((a.ExpectedRecordVersion is null && current is null) || (a.ExpectedRecordVersion is not null && current?.RecordVersion == a.ExpectedRecordVersion))
                    {
                        _aws.Leases[group] = new ClusterPro.Witness.LeaseRecord(group, a.Owner, a.RecordVersion, a.Epoch);
                        outcome = ClusterPro.Witness.LeaseOutcome.Held;
                    }
                    else
                    {
                        outcome = ClusterPro.Witness.LeaseOutcome.NotHeld;
                    }

                    break;
                default:
                    if (current?.Owner == n.Name && current.Epoch == effect.Epoch)
                    {
                        _aws.Leases[group] = current with { RecordVersion = effect.RecordVersion!, Owner = effect.Call == LeaseCall.Renew ? n.Name : null };
                        outcome = ClusterPro.Witness.LeaseOutcome.Held;
                    }
                    else
                    {
                        outcome = ClusterPro.Witness.LeaseOutcome.NotHeld;
                    }

                    break;
            }
        }

        AwsCall(n, Apply, answer => OnNode(n, gen, () =>
        {
            ClusterPro.Witness.LeaseRead? read = null;
            ClusterPro.Witness.LeaseWrite? write = null;
            if (effect.Call == LeaseCall.Read)
            {
                read = answer == AwsOutcome.Ok ? new ClusterPro.Witness.LeaseRead(true, found, "read") : ClusterPro.Witness.LeaseRead.NoAnswer("no answer");
            }
            else
            {
                write = answer == AwsOutcome.Ok
                    ? new ClusterPro.Witness.LeaseWrite(outcome, outcome == ClusterPro.Witness.LeaseOutcome.NotHeld ? found : null, outcome.ToString())
                    : ClusterPro.Witness.LeaseWrite.Unknown("no answer");
            }

            if (_timeline is not null)
            {
                var what = effect.Call switch
                {
                    LeaseCall.Acquire => $"acquire epoch {effect.Acquisition!.Epoch} expecting {effect.Acquisition.ExpectedRecordVersion ?? "none"}",
                    LeaseCall.Read => "read",
                    _ => $"{effect.Call.ToString().ToLowerInvariant()} epoch {effect.Epoch}",
                };
                var result = read is not null ? (read.Answered ? $"{found?.Owner ?? "-"}/{found?.Epoch}/{found?.RecordVersion ?? "none"}" : "no answer") : write!.Outcome.ToString();
                Note(n.Name, $"lease {group}: {what} sent at {(_w.Now - sent) / 1000.0:0.000} s ago → {result}");
            }

            n.Core!.LeaseCompleted(Time(n), effect.Id, read, write);
            Drain(n);
        }), timeoutMs: _c.LeaseCallTimeoutMs, witness: true);
    }

    /// <summary>AWS fencing: check this node's own instance is running, force-stop the peer's, poll until it is stopped.</summary>
    private void Fence(SimNode n, int gen, long id, string peerName)
    {
        var peer = _byName[peerName];
        var started = _w.Now;
        void Done(bool fenced, int code, string message) => OnNode(n, gen, () =>
        {
            n.Fences.Remove(id);
            n.Core!.FenceCompleted(Time(n), id, new FenceResult(fenced, code, message));
            Drain(n);
        });

        var ownRunning = true;
        AwsCall(n, () => ownRunning = n.Instance == InstanceState.Running, own =>
        {
            if (own != AwsOutcome.Ok)
            {
                Done(false, 50, "DescribeInstances (own) gave no usable answer.");
                return;
            }

            if (!ownRunning)
            {
                Done(false, 52, $"This node's instance is {n.Instance}; not fencing {peerName}.");
                return;
            }

            AwsCall(n, () => FenceLands(n, peer), stop =>
            {
                if (stop != AwsOutcome.Ok)
                {
                    Done(false, 50, "StopInstances gave no usable answer.");
                    return;
                }

                void Poll(long interval)
                {
                    var state = peer.Instance;
                    AwsCall(n, () => state = peer.Instance, read =>
                    {
                        if (read == AwsOutcome.Ok && state == InstanceState.Stopped)
                        {
                            Done(true, 0, $"{peerName} is stopped.");
                        }
                        else if (_w.Now - started > _c.FenceStopTimeoutMs)
                        {
                            Done(false, 51, $"{peerName} is still {state} after {_c.FenceStopTimeoutMs} ms.");
                        }
                        else
                        {
                            _w.After(interval, () => Poll(Math.Min(interval * 2, 4000)));
                        }
                    });
                }

                Poll(_c.FencePollMs);
            });
        });
    }

    /// <summary>Stops an instance: the OS goes down when the stop completes (a forced stop is quicker).</summary>
    public void StopInstance(SimNode node, bool forced)
    {
        if (node.Instance != InstanceState.Running)
        {
            return;
        }

        node.Instance = InstanceState.Stopping;
        Touch();
        Note(node.Name, forced ? "instance force-stopping" : "instance stopping");
        // A stop may hang past what the fencing agent waits for (a stuck shutdown); it completes in the end.
        var slow = _w.Now < node.SlowStopUntil;
        var takes = slow ? _w.Between(_c.FenceStopTimeoutMs * 11 / 10, _c.FenceStopTimeoutMs * 16 / 10) : forced ? _w.Between(200, Math.Max(300, _c.InstanceStopMs / 4)) : _c.InstanceStopMs;
        _w.After(takes, () =>
        {
            if (node.Instance == InstanceState.Stopping)
            {
                node.Instance = InstanceState.Stopped;
                Touch();
                KillProcess(node, "instance stopped");
                node.DownSince = _w.Now;
                if (_quiet)
                {
                    _w.After(_w.Between(1000, 3000), () => StartInstance(node));
                }
            }
        });
    }

    /// <summary>Starts a stopped instance; the cluster process starts with the OS.</summary>
    public void StartInstance(SimNode node)
    {
        if (node.Instance != InstanceState.Stopped)
        {
            return;
        }

        node.Instance = InstanceState.Running;
        Touch();
        Note(node.Name, "instance started");
        _w.After(_w.Between(1000, 5000), () => StartProcess(node));
    }

    /// <summary>The host's final-action handler.</summary>
    private void HostFinalAction(SimNode n, FinalActionRequest request)
    {
        CheckLastNode(n, request);
        Note(n.Name, $"host carries out {request.Action} ({request.Source})");
        switch (request.Action)
        {
            case FinalAction.StopClusterServiceAndShutdownOs:
                _w.After(10, () => StopInstance(n, forced: false));
                _w.After(_c.InstanceStopMs + _w.Between(20_000, 60_000), () => StartInstance(n));

                break;
            case FinalAction.StopClusterServiceAndRebootOs:
                var gen = n.Generation;
                _w.After(10, () => OnNode(n, gen, () => KillProcess(n, "rebooting")));
                _w.After(_w.Between(5000, 15_000), () => StartProcess(n));
                break;
            case FinalAction.StopClusterService:
                _w.After(_w.Between(20_000, 60_000), () => StartProcess(n));

                break;
        }
    }
}
