namespace ClusterPro.Partition;

/// <summary>What the network-partition probes said.</summary>
public enum NetworkPartitionProbe
{
    /// <summary>No resolver is configured.</summary>
    NotConfigured,

    /// <summary>At least one resolver reached its target.</summary>
    Reachable,

    /// <summary>No resolver reached its target.</summary>
    Unreachable,
}

/// <summary>What a node does after losing sight of peers.</summary>
public enum SurvivalAction
{
    /// <summary>Every peer is visible: nothing to decide.</summary>
    Stay,

    /// <summary>This node's side survives: it may keep or take the groups (after fencing, when required).</summary>
    TakeOver,

    /// <summary>This node is isolated (it reaches no network-partition target): it releases its groups and leaves the cluster, handing the partition action to the host.</summary>
    StepDown,

    /// <summary>
    /// This node reaches the network-partition target but is on a minority side: it releases its groups and holds back,
    /// staying in the cluster, until a majority is visible again (a quorum policy that stops resources but never shuts the
    /// last reachable node down).
    /// </summary>
    StandBy,
}

/// <summary>What one node sees when it decides.</summary>
/// <param name="Self">This node.</param>
/// <param name="Nodes">Every cluster node in priority order (the first is the master).</param>
/// <param name="Visible">The peers this node still receives heartbeats from.</param>
/// <param name="Probe">What the NP resolvers said.</param>
/// <param name="UseMajority">Decide by majority (three or more nodes).</param>
/// <param name="FencingConfigured">Whether a fencing agent can stop a peer.</param>
public sealed record PartitionView(string Self, IReadOnlyList<string> Nodes, IReadOnlyCollection<string> Visible, NetworkPartitionProbe Probe, bool UseMajority, bool FencingConfigured);

/// <summary>The decision.</summary>
/// <param name="Action">Stay, take over or step down.</param>
/// <param name="MustFence">Whether the lost peers must be fenced before taking over.</param>
/// <param name="FenceDelay">How long to wait before fencing (the lower-priority node waits, so two isolated nodes do not fence each other).</param>
/// <param name="Reason">Why, in one sentence.</param>
public sealed record SurvivalDecision(SurvivalAction Action, bool MustFence, TimeSpan FenceDelay, string Reason);

/// <summary>
/// Who survives a split: a pure function of what one node sees (no I/O, no clock). Ties and ambiguous views go to
/// the safe side. Two nodes: the side that reaches the NP target takes over, fencing the other when fencing is
/// configured (the lower-priority node first waits, so the master wins a race); a side that cannot reach it steps down.
/// Three or more nodes with majority: the side with more than half the nodes survives; an exact half survives only if
/// it holds the master; a minority side that still reaches the NP target stands by; NP, when configured, must be
/// reachable. Every configured node counts, including one that left in order (as with a quorum's expected votes).
/// </summary>
public static class SurvivalDecider
{
    /// <summary>Decides for one node.</summary>
    /// <param name="view">What the node sees.</param>
    /// <param name="lowerPriorityFenceDelay">The wait before fencing for any node but the master.</param>
    /// <returns>The decision.</returns>
    public static SurvivalDecision Decide(PartitionView view, TimeSpan lowerPriorityFenceDelay)
    {
        ArgumentNullException.ThrowIfNull(view);
        var peers = view.Nodes.Where(n => !string.Equals(n, view.Self, StringComparison.OrdinalIgnoreCase)).ToList();
        var visible = peers.Where(p => view.Visible.Contains(p, StringComparer.OrdinalIgnoreCase)).ToList();
        if (visible.Count == peers.Count)
        {
            return new SurvivalDecision(SurvivalAction.Stay, false, TimeSpan.Zero, "Every peer is visible.");
        }

        var isMaster = string.Equals(view.Nodes[0], view.Self, StringComparison.OrdinalIgnoreCase);
        var delay = isMaster ? TimeSpan.Zero : lowerPriorityFenceDelay;
        if (view.Probe == NetworkPartitionProbe.Unreachable)
        {
            return new SurvivalDecision(SurvivalAction.StepDown, false, TimeSpan.Zero, "The network-partition target is unreachable: this node is isolated.");
        }

        if (view.UseMajority && view.Nodes.Count >= 3)
        {
            var side = visible.Count + 1;
            var total = view.Nodes.Count;
            var masterHere = isMaster || visible.Contains(view.Nodes[0], StringComparer.OrdinalIgnoreCase);
            if (2 * side > total)
            {
                return new SurvivalDecision(SurvivalAction.TakeOver, view.FencingConfigured, delay, $"This side holds {side} of {total} nodes, a majority.");
            }

            if (2 * side == total && masterHere)
            {
                return new SurvivalDecision(SurvivalAction.TakeOver, view.FencingConfigured, delay, $"This side holds {side} of {total} nodes, a tie, and the master {view.Nodes[0]}.");
            }

            return new SurvivalDecision(SurvivalAction.StandBy, false, TimeSpan.Zero, $"This side holds {side} of {total} nodes, {(2 * side == total ? "a tie without the master" : "a minority")}; standing by until a majority is visible.");
        }

        return view.Probe == NetworkPartitionProbe.Reachable
            ? new SurvivalDecision(SurvivalAction.TakeOver, view.FencingConfigured, delay, "The network-partition target is reachable: the lost peers are down or isolated.")
            : new SurvivalDecision(SurvivalAction.TakeOver, view.FencingConfigured, delay, "No network-partition resolver is configured: taking over on heartbeat loss alone (configure NP resolution and fencing to rule out two owners).");
    }
}
