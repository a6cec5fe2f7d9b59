using ClusterPro.Groups;

namespace ClusterPro.Failover;

/// <summary>
/// This node's knowledge of one group: its claims, its running operation and its retry state.
/// </summary>
internal sealed partial class FailoverCore
{
    private sealed class Group(CoreGroupSettings settings, bool eligible, int[] nodeRanks, int nodeCount)
    {
        public CoreGroupSettings Settings { get; } = settings;

        /// <summary>The ranks of the nodes that may run it, in its priority order.</summary>
        public int[] NodeRanks { get; } = nodeRanks;

        /// <summary>By rank: whether that node may run it.</summary>
        public bool[] CanRunRank { get; } = Enumerable.Range(0, nodeCount).Select(nodeRanks.Contains).ToArray();

        public string Name => Settings.Name;

        public bool Eligible { get; } = eligible;

        public GroupClaim? Best { get; set; }

        public GroupClaim? Mine { get; set; }

        public long MaxEpoch { get; set; }

        public long Op { get; set; }

        public GroupOperation OpKind { get; set; }

        public bool OpIsReactivation { get; set; }

        public bool CancelRequested { get; set; }

        public string? ReleaseTarget { get; set; }

        public bool ReleaseFailed { get; set; }

        public bool ReleaseStops { get; set; }

        public bool StopRequested { get; set; }

        public TimeSpan? OrphanSince { get; set; }

        public TimeSpan? TakeoverFrom { get; set; }

        public int ReleaseFailures { get; set; }

        /// <summary>This node's knowledge of the group's lease (with a witness).</summary>
        public LeaseState Lease { get; } = new();

        public bool Degraded { get; set; }

        public bool OpIsRetry { get; set; }

        public int ActivationFailures { get; set; }

        public TimeSpan RetryActivateAt { get; set; }

        public TimeSpan RetryReleaseAt { get; set; }
    }
}
