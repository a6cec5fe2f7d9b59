namespace ClusterPro.Failover;

/// <summary>One heartbeat: who sends it, when by its clock, what it is doing, whom it hears, and the claims it knows.</summary>
/// <param name="Node">The sender.</param>
/// <param name="Incarnation">A random number drawn at every start of the sender.</param>
/// <param name="Sequence">Increases with every heartbeat of one incarnation.</param>
/// <param name="SentAtMs">The sender's wall clock when it sent this, in Unix milliseconds (checked against <see cref="HeartbeatOptions.MaxClockSkew"/>).</param>
/// <param name="Mode">The sender's mode.</param>
/// <param name="Standby">The sender is on a minority side and holds back until the majority is back.</param>
/// <param name="Sees">The peers the sender hears directly.</param>
/// <param name="Claims">The highest claim the sender knows for each group, and its own claims.</param>
/// <param name="OperatorStandby">An operator put the sender on standby: it holds and takes no group.</param>
/// <param name="Maintenance">The cluster's maintenance setting as the sender follows it.</param>
/// <param name="MaintenanceVersion">That setting's version (the newest wins; 0 when never set).</param>
internal sealed record HeartbeatMessage(
    string Node,
    long Incarnation,
    long Sequence,
    long SentAtMs,
    NodeMode Mode,
    bool Standby,
    IReadOnlyList<PeerSighting> Sees,
    IReadOnlyList<GroupClaim> Claims,
    bool OperatorStandby = false,
    bool Maintenance = false,
    long MaintenanceVersion = 0);
