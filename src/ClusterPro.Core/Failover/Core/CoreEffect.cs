using ClusterPro.Groups;

namespace ClusterPro.Failover;

/// <summary>Something the decision core asks its driver to do. Results come back as inputs naming the effect's id.</summary>
internal abstract record CoreEffect;

/// <summary>Send a heartbeat now (a claim changed), besides the regular ones.</summary>
internal sealed record BroadcastEffect : CoreEffect
{
    public static readonly BroadcastEffect Instance = new();
}

/// <summary>Probe the network-partition resolvers once; answer with <see cref="FailoverCore.ProbeCompleted"/>.</summary>
/// <param name="Id">The effect's id.</param>
internal sealed record ProbeEffect(long Id) : CoreEffect;

/// <summary>Fence (stop) a peer; answer with <see cref="FailoverCore.FenceCompleted"/>.</summary>
/// <param name="Id">The effect's id.</param>
/// <param name="Peer">The peer.</param>
internal sealed record FenceEffect(long Id, string Peer) : CoreEffect;

/// <summary>Activate or deactivate a group on this node; answer with <see cref="FailoverCore.GroupOperationCompleted"/>.</summary>
/// <param name="Id">The effect's id.</param>
/// <param name="Group">The group.</param>
/// <param name="Operation">Activate or deactivate.</param>
/// <param name="Epoch">The ownership epoch the operation belongs to.</param>
/// <param name="Reason">Why, for the timeline.</param>
internal sealed record GroupOperationEffect(long Id, string Group, GroupOperation Operation, long Epoch, string Reason) : CoreEffect
{
    /// <summary>Why, for the resources (<see cref="Resources.ResourceContext.Cause"/>).</summary>
    public Resources.OperationCause Cause { get; init; }

    /// <summary>The node the group comes from (activation) or goes to (deactivation), when there is one.</summary>
    public string? Peer { get; init; }
}

/// <summary>Reactivate one resource of an active group (a monitor's recovery); answer with <see cref="FailoverCore.ReactivationCompleted"/>.</summary>
/// <param name="Id">The effect's id.</param>
/// <param name="Group">The group.</param>
/// <param name="Resource">The resource.</param>
internal sealed record ReactivateEffect(long Id, string Group, string Resource) : CoreEffect;

/// <summary>Cancel a running group operation (its result still comes back, as cancelled).</summary>
/// <param name="Id">The operation's effect id.</param>
internal sealed record CancelEffect(long Id) : CoreEffect;

/// <summary>Hand a final action to the host (after this node released what it could).</summary>
/// <param name="Request">The action and why.</param>
internal sealed record FinalActionEffect(FinalActionRequest Request) : CoreEffect;

/// <summary>Record a step of the timeline.</summary>
/// <param name="Kind">What.</param>
/// <param name="Subject">The peer, group or resource concerned.</param>
/// <param name="Detail">The outcome in words.</param>
/// <param name="Succeeded">Whether it succeeded.</param>
/// <param name="FailoverDuration">For a takeover: from the last heartbeat of the lost holder to the group active here.</param>
internal sealed record EventEffect(FailoverEventKind Kind, string Subject, string Detail, bool Succeeded = true, TimeSpan? FailoverDuration = null) : CoreEffect;

/// <summary>This node left the cluster: send the last heartbeats (they say so) and stop deciding.</summary>
/// <param name="Reason">Why.</param>
internal sealed record StoppedEffect(string Reason) : CoreEffect;

/// <summary>The operator's settings of this node changed: keep them, so that a restart of the node keeps them too.</summary>
/// <param name="Standby">This node is on standby.</param>
/// <param name="Maintenance">The cluster is in maintenance.</param>
/// <param name="MaintenanceVersion">The maintenance setting's version.</param>
internal sealed record OperatorStateEffect(bool Standby, bool Maintenance, long MaintenanceVersion) : CoreEffect;
