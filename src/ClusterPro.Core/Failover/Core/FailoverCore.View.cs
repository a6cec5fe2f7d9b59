namespace ClusterPro.Failover;

/// <summary>
/// What this node knows, for operators, the driver and tests.
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>This node's claim state on a group, or <see langword="null"/>.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The state.</returns>
    public GroupClaimState? LocalState(string group) => _groups.TryGetValue(group, out var g) ? g.Mine?.State : null;

    /// <summary>Whether this node holds (or may hold part of) the group.</summary>
    /// <param name="group">The group.</param>
    /// <returns>True when holding.</returns>
    public bool Holds(string group) => _groups.TryGetValue(group, out var g) && g.Mine is { Holding: true };

    /// <summary>The node this node released the group for (a hand-off), or <see langword="null"/>.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The node the group was handed to.</returns>
    public string? HandedTo(string group) =>
        _groups.TryGetValue(group, out var g) && g.Mine is { State: GroupClaimState.Released, Target: { } to } ? to : null;

    /// <summary>The current view, for operators and tests.</summary>
    /// <returns>A snapshot.</returns>
    public ClusterView GetView()
    {
        var peers = _peerList.Select(p => new PeerStatus(
            p.Name,
            p.State,
            p.Mode,
            p.OwnClaims.Where(c => c.Holding).Select(c => c.Group).ToList(),
            p.EverHeard ? _t.Now - p.HeardAt : null,
            IsFenced(p))
        {
            OperatorStandby = p.OperatorStandby,
        }).ToList();
        var groups = _groupList.Select(g =>
        {
            var best = g.Best;
            var owner = best is { Holding: true } && OwnerOf(g) is Owner.Mine or Owner.Alive or Owner.Lost ? best.Holder : null;
            var lease = g.Lease;
            var leaseStatus = !_s.Witness || (!lease.Read && !lease.Held) ? null
                : new LeaseStatus(lease.ObservedAbsent ? null : lease.Observed?.Owner, lease.ObservedAbsent ? 0 : lease.Observed?.Epoch ?? 0, _t.Now - (lease.Held ? lease.RenewedAt : lease.ObservedSince), lease.Held);
            return new GroupStatus(g.Name, owner, best?.Epoch ?? 0, best?.State, g.Mine?.State, leaseStatus);
        }).ToList();
        return new ClusterView(Self, Mode, _standby, peers, groups, new Dictionary<HeartbeatRejection, long>(Dropped))
        {
            OperatorStandby = _operatorStandby,
            Maintenance = _maintenance,
        };
    }

    /// <summary>The index of a group, or -1.</summary>
    /// <param name="group">The group.</param>
    /// <returns>Its index in the settings' group list.</returns>
    public int GroupIndex(string group) => _groups.TryGetValue(group, out var g) ? Array.IndexOf(_groupList, g) : -1;

    /// <summary>Whether this node holds the group at <paramref name="index"/>.</summary>
    /// <param name="index">The group's index.</param>
    /// <returns>True when holding.</returns>
    public bool HoldsAt(int index) => _groupList[index].Mine is { Holding: true };

    /// <summary>This node's claim state on the group at <paramref name="index"/>.</summary>
    /// <param name="index">The group's index.</param>
    /// <returns>The state.</returns>
    public GroupClaimState? LocalStateAt(int index) => _groupList[index].Mine?.State;
}
