using ClusterPro.Partition;

namespace ClusterPro.Failover;

/// <summary>
/// One loss: the set of peers lost, its probes and its verdict.
/// </summary>
internal sealed partial class FailoverCore
{
    private sealed class Episode(ulong mask, string[] lost, TimeSpan startedAt)
    {
        public ulong Mask { get; } = mask;

        public string Key { get; } = string.Join(",", lost);

        public TimeSpan StartedAt { get; } = startedAt;

        public string[] Lost { get; } = lost;

        public int Attempts { get; set; }

        public long ProbeOp { get; set; }

        public TimeSpan NextProbeAt { get; set; }

        public SurvivalDecision? Decision { get; set; }

        public TimeSpan FenceNotBefore { get; set; }

        public string Detail { get; set; } = string.Empty;
    }
}
