namespace ClusterPro.Failover;

/// <summary>Where a node is in its life in the cluster, as it announces in its heartbeats.</summary>
public enum NodeMode
{
    /// <summary>Listening for peers before starting groups (the start-up wait).</summary>
    Starting,

    /// <summary>A full member: it may hold and take groups.</summary>
    Running,

    /// <summary>Releasing its groups before it leaves (a planned stop, a final action or a step-down).</summary>
    Leaving,

    /// <summary>Out of the cluster: it holds nothing and decides nothing until it is started again.</summary>
    Stopped,
}
