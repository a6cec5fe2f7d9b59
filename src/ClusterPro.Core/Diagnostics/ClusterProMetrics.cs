using System.Diagnostics.Metrics;
using ClusterPro.Failover;

namespace ClusterPro.Diagnostics;

/// <summary>The instruments of the <c>ClusterPro</c> meter.</summary>
internal sealed class ClusterProMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "ClusterPro";

    private static readonly Lazy<ClusterProMetrics> Shared = new(() => new ClusterProMetrics(new Meter(MeterName)));

    private ClusterProMetrics(Meter meter)
    {
        Meter = meter;
        Activations = meter.CreateCounter<long>("clusterpro.resource.activations", "{activation}", "Group resource activation attempts.");
        Deactivations = meter.CreateCounter<long>("clusterpro.resource.deactivations", "{deactivation}", "Group resource deactivation attempts.");
        Failures = meter.CreateCounter<long>("clusterpro.resource.failures", "{failure}", "Failed group resource activation or deactivation attempts.");
        MonitorChecks = meter.CreateCounter<long>("clusterpro.monitor.checks", "{check}", "Monitor checks, by status.");
        RecoverySteps = meter.CreateCounter<long>("clusterpro.recovery.steps", "{step}", "Recovery steps taken by monitors, by step.");
        GroupOperationDuration = meter.CreateHistogram<double>("clusterpro.group.operation.duration", "s", "Duration of group activations and deactivations, in seconds.");
        FailoverDuration = meter.CreateHistogram<double>("clusterpro.failover.duration", "s", "From the last heartbeat of a lost holder to its group active on this node, in seconds.");
        Fences = meter.CreateCounter<long>("clusterpro.fence.attempts", "{fence}", "Fencing attempts, by outcome.");
        Handoffs = meter.CreateCounter<long>("clusterpro.group.handoffs", "{handoff}", "Group hand-offs to another node, by outcome.");
        HeartbeatsDropped = meter.CreateCounter<long>("clusterpro.heartbeat.dropped", "{packet}", "Heartbeat packets dropped, by reason.");
    }

    public Meter Meter { get; }

    public Counter<long> Activations { get; }

    public Counter<long> Deactivations { get; }

    public Counter<long> Failures { get; }

    public Counter<long> MonitorChecks { get; }

    public Counter<long> RecoverySteps { get; }

    public Histogram<double> GroupOperationDuration { get; }

    public Histogram<double> FailoverDuration { get; }

    public Counter<long> Fences { get; }

    public Counter<long> Handoffs { get; }

    public Counter<long> HeartbeatsDropped { get; }

    /// <summary>
    /// A tag value as every instrument spells it: lower-case, words joined by <c>-</c> (<c>Succeeded</c> → <c>succeeded</c>,
    /// <c>FinalAction</c> → <c>final-action</c>, <c>UnknownNode</c> → <c>unknown-node</c>).
    /// </summary>
    public static string Label<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var label = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && char.IsLower(name[i - 1]))
            {
                label.Append('-');
            }

            label.Append(char.ToLowerInvariant(name[i]));
        }

        return label.ToString();
    }

    /// <summary>Measures <paramref name="manager"/>'s gauges (group active, peer up, monitor status) until the handle is disposed.</summary>
    public IDisposable Track(FailoverManager manager) => ClusterProGauges.For(Meter).Track(manager);

    public static ClusterProMetrics Get(IMeterFactory? factory) =>
        factory is null ? Shared.Value : new ClusterProMetrics(factory.Create(MeterName));
}
