using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using ClusterPro.Failover;
using ClusterPro.Monitoring;

namespace ClusterPro.Diagnostics;

/// <summary>
/// The gauges of the <c>ClusterPro</c> meter, read from the running nodes when an exporter collects: one set per
/// <see cref="Meter"/> (however many <see cref="ClusterProMetrics"/> share it), fed by every failover manager tracked on it.
/// Each measurement carries the <c>node</c> it is from, so two nodes in one process (tests, demos) never mix.
/// </summary>
internal sealed class ClusterProGauges
{
    private static readonly ConditionalWeakTable<Meter, ClusterProGauges> ByMeter = [];
    private readonly List<FailoverManager> _managers = [];

    private ClusterProGauges(Meter meter)
    {
        meter.CreateObservableGauge("clusterpro.group.active", ObserveGroups, "{group}", "1 while the group is active on this node, 0 otherwise.");
        meter.CreateObservableGauge("clusterpro.peer.up", ObservePeers, "{peer}", "1 while this node hears the peer (directly or through another peer), 0 otherwise.");
        meter.CreateObservableGauge("clusterpro.monitor.status", ObserveMonitors, "{status}", "The monitor's last status: 0 normal, 1 warning, 2 error, 3 unknown.");
    }

    public static ClusterProGauges For(Meter meter) => ByMeter.GetValue(meter, m => new ClusterProGauges(m));

    /// <summary>Measures <paramref name="manager"/> until the returned handle is disposed.</summary>
    public IDisposable Track(FailoverManager manager)
    {
        lock (_managers)
        {
            _managers.Add(manager);
        }

        return new Untrack(this, manager);
    }

    /// <summary>The value of <c>clusterpro.monitor.status</c> for a status.</summary>
    public static int StatusValue(MonitorStatus status) => status switch
    {
        MonitorStatus.Normal => 0,
        MonitorStatus.Warning => 1,
        MonitorStatus.Error => 2,
        _ => 3,
    };

    private List<FailoverManager> Managers()
    {
        lock (_managers)
        {
            return [.. _managers];
        }
    }

    private IEnumerable<Measurement<int>> ObserveGroups() =>
        Managers().Select(m => m.GetView()).SelectMany(view => view.Groups.Select(g =>
            new Measurement<int>(g.LocalState == GroupClaimState.Active ? 1 : 0, new("group", g.Group), new("node", view.Node))));

    private IEnumerable<Measurement<int>> ObservePeers() =>
        Managers().Select(m => m.GetView()).SelectMany(view => view.Peers.Select(p =>
            new Measurement<int>(p.State is PeerState.Up or PeerState.Suspect or PeerState.Relayed ? 1 : 0, new("peer", p.Node), new("node", view.Node))));

    private IEnumerable<Measurement<int>> ObserveMonitors() =>
        Managers().SelectMany(m => m.Monitors.Select(r =>
            new Measurement<int>(StatusValue(r.Current.Status), new("monitor", r.Name), new("node", m.NodeName))));

    private sealed class Untrack(ClusterProGauges gauges, FailoverManager manager) : IDisposable
    {
        public void Dispose()
        {
            lock (gauges._managers)
            {
                gauges._managers.Remove(manager);
            }
        }
    }
}
