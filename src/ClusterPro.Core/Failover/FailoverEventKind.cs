namespace ClusterPro.Failover;

/// <summary>What happened, for the timeline.</summary>
public enum FailoverEventKind
{
    /// <summary>The manager started.</summary>
    Started,

    /// <summary>A peer's heartbeats stopped (it is down).</summary>
    HeartbeatLost,

    /// <summary>A peer's heartbeats came back.</summary>
    HeartbeatRestored,

    /// <summary>Network-partition resolution decided.</summary>
    PartitionVerdict,

    /// <summary>Fencing of a peer started.</summary>
    FenceStarted,

    /// <summary>Fencing finished (see the detail for the outcome).</summary>
    FenceCompleted,

    /// <summary>A resource was activated (or failed to).</summary>
    ResourceActivated,

    /// <summary>A resource was deactivated (or failed to).</summary>
    ResourceDeactivated,

    /// <summary>A group activation finished.</summary>
    GroupActivated,

    /// <summary>A group deactivation finished.</summary>
    GroupDeactivated,

    /// <summary>A group was handed to another node.</summary>
    GroupHandedOff,

    /// <summary>This node stepped down (isolated).</summary>
    SteppedDown,

    /// <summary>A final action went to the host.</summary>
    FinalAction,

    /// <summary>A peer left the cluster in order.</summary>
    PeerLeft,

    /// <summary>A peer started again (a new run); what its previous run held is void.</summary>
    PeerRestarted,

    /// <summary>A group this node held is claimed by another node with a newer claim; this node releases it.</summary>
    GroupConflict,

    /// <summary>This node left the cluster (it holds nothing and decides nothing until started again).</summary>
    Stopped,

    /// <summary>This node took a group's lease from the witness.</summary>
    LeaseAcquired,

    /// <summary>This node lost a group's lease (another node holds it, or it could not be renewed in time); it releases the group.</summary>
    LeaseLost,

    /// <summary>A plug-in (fencing agent, resolver, final-action handler, event subscriber) threw; the detail names it.</summary>
    PluginFailed,

    /// <summary>An operator's command took effect on this node (standby, maintenance, cleanup), or a peer's reached it.</summary>
    OperatorCommand,

    /// <summary>
    /// A peer handed a group to a third node (a move, a standby, a planned stop), seen by a node that takes no part in it:
    /// every node's timeline shows where the group went. The node the group goes to logs <see cref="GroupHandedOff"/>.
    /// </summary>
    PeerHandedOff,
}
