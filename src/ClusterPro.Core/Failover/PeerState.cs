namespace ClusterPro.Failover;

/// <summary>A peer's liveness as this node sees it.</summary>
public enum PeerState
{
    /// <summary>Never heard from.</summary>
    Unknown,

    /// <summary>Heard within half the timeout.</summary>
    Up,

    /// <summary>Silent for more than half the timeout.</summary>
    Suspect,

    /// <summary>Not heard directly within the timeout, but another peer that this node hears does hear it.</summary>
    Relayed,

    /// <summary>Silent for longer than the timeout, directly and through every other peer.</summary>
    Down,

    /// <summary>It left the cluster in order (a planned stop, a final action or a step-down) and said so.</summary>
    Left,
}
