namespace ClusterPro.Failover;

/// <summary>
/// What this node knows of one peer.
/// </summary>
internal sealed partial class FailoverCore
{
    private sealed class Peer(string name, int rank)
    {
        private NodeMode _mode = NodeMode.Starting;

        public string Name { get; } = name;

        public int Rank { get; } = rank;

        public long Incarnation { get; set; }

        public bool IncarnationKnown { get; set; }

        public TimeSpan IncarnationSeenAt { get; set; }

        public long Sequence { get; set; }

        public bool EverHeard { get; set; }

        public TimeSpan HeardAt { get; set; }

        public TimeSpan LostAt { get; set; }

        public TimeSpan RunningSince { get; private set; }

        public NodeMode Mode
        {
            get => _mode;
            set
            {
                if (value == NodeMode.Running && _mode != NodeMode.Running)
                {
                    RunningSince = HeardAt;
                }

                _mode = value;
            }
        }

        public bool Standby { get; set; }

        /// <summary>An operator put the peer on standby: it takes no group.</summary>
        public bool OperatorStandby { get; set; }

        public IReadOnlyList<PeerSighting> Sees { get; set; } = [];

        public List<GroupClaim> OwnClaims { get; set; } = [];

        public PeerState State { get; set; } = PeerState.Unknown;

        public List<long> Retired { get; } = [];

        public long FenceOp { get; set; }

        public bool Fenced { get; set; }

        public long FencedIncarnation { get; set; }

        public TimeSpan FencedAt { get; set; }

        public int FenceFailures { get; set; }

        public TimeSpan NextFenceAt { get; set; }

        public TimeSpan LastHeardOrStart(TimeSpan start) => EverHeard ? HeardAt : start;
    }
}
