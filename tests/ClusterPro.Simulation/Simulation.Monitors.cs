using ClusterPro.Failover;
using ClusterPro.Monitoring;

namespace ClusterPro.Simulation;

/// <summary>The monitors of every group on every node, as <c>MonitorRunner</c> runs them.</summary>
internal sealed partial class Simulation
{
    private void MonitorTimer(SimNode n, int gen, string group) => OnNode(n, gen, () =>
    {
        CheckMonitor(n, gen, group);
        _w.After(_c.MonitorIntervalMs, () => MonitorTimer(n, gen, group));
    });

    /// <summary>
    /// A monitor cycle, as <c>MonitorRunner</c> does it: only while the group is active here; an application failure or
    /// AWS state pointing elsewhere is an error; no answer from AWS is inconclusive (counters unchanged); after the retry
    /// count, the recovery ladder (the real <see cref="RecoveryEscalation"/>): reactivate, fail over, final action.
    /// </summary>
    private void CheckMonitor(SimNode n, int gen, string group)
    {
        var core = n.Core!;
        var m = n.Monitors[group];
        if (core.Maintenance)
        {
            // Suspended, as the driver suspends its monitors in maintenance: nothing checked, counted or recovered.
            return;
        }

        if (core.LocalState(group) != GroupClaimState.Active)
        {
            m.Failures = 0;
            n.Monitors[AppMonitor(group)].Failures = 0;
            return;
        }

        if (m.Busy)
        {
            return;
        }

        Verdict(n, group, error: n.AppBrokenUntil.GetValueOrDefault(group) > _w.Now, app: true);

        m.Busy = true;
        string? points = null;
        AwsCall(n, () => points = _aws.PointsAt(group), outcome => OnNode(n, gen, () =>
        {
            m.Busy = false;
            if (outcome == AwsOutcome.Ok && n.Core!.LocalState(group) == GroupClaimState.Active)
            {
                Verdict(n, group, error: points != n.Name, app: false);
            }
        }));
    }

    private static string AppMonitor(string group) => "app:" + group;

    private void Verdict(SimNode n, string group, bool error, bool app)
    {
        var m = n.Monitors[app ? AppMonitor(group) : group];
        var core = n.Core!;
        if (!error)
        {
            m.Failures = 0;
            m.Escalation.Reset();
            return;
        }

        if (++m.Failures <= _c.MonitorRetryCount)
        {
            return;
        }

        m.Failures = 0;
        var step = m.Escalation.Next();
        var action = app ? _c.AppMonitorFinalAction : FinalAction.None;
        if (step == RecoveryStep.FinalAction && action is FinalAction.None or FinalAction.NoneContinue)
        {
            step = RecoveryStep.Exhausted;
        }

        var what = app ? "the application failed" : $"AWS points elsewhere ({_aws.Describe(group)})";
        Note(n.Name, $"monitor of {group}: {what}; recovery {step}");
        switch (step)
        {
            case RecoveryStep.Reactivate:
                core.RequestReactivation(Time(n), group, string.Empty);
                break;
            case RecoveryStep.Failover:
                core.RequestMove(Time(n), group, $"monitor: {what}");
                break;
            case RecoveryStep.FinalAction:
                if (!core.IsAnotherNodeHealthy(null))
                {
                    Note(n.Name, $"final action {action} suppressed: no other node could take {group}");
                    break;
                }

                if (action == FinalAction.StopGroup)
                {
                    // Stopped on purpose: it stays down until an operator starts it (liveness no longer applies to it).
                    _stopRequested.Add(group);
                }

                core.RequestFinalAction(Time(n), new FinalActionRequest(action, $"appw-{group}", n.Name, group, $"Detected an error in monitoring appw-{group}."));
                break;
        }

        Drain(n);
    }
}
