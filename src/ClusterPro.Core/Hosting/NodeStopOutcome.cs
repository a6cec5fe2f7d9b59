namespace ClusterPro.Hosting;

/// <summary>How a hosted node stopped.</summary>
public enum NodeStopOutcome
{
    /// <summary>A planned stop: every group was released in order and the peers were told, so they took over at once.</summary>
    Planned,

    /// <summary>The node left still holding a group it could not release (or not within the stop timeout); peers fence it before taking the group over.</summary>
    Incomplete,

    /// <summary>The host's shutdown timeout ran out first: the node stopped where it stood, and peers take over after the heartbeat timeout.</summary>
    Cut,

    /// <summary>
    /// The node left the cluster on its own — a network-partition action or a monitor's final action stopped its cluster
    /// service — and holds nothing; the host was asked to stop, so the process ends and stays down until it is started
    /// again (what stopping the cluster service means).
    /// </summary>
    LeftOnItsOwn,
}
