using System.Globalization;

namespace ClusterPro.Nemesis;

/// <summary>
/// One thing the nemesis does. <see cref="Node"/> is a node's name or a role resolved when the action runs:
/// <c>owner</c> (the node AWS points at), <c>standby</c> (the first other node that is up), or <c>=N</c>: the node step
/// N's role resolved to.
/// </summary>
/// <param name="Kind">What.</param>
/// <param name="Node">To whom.</param>
/// <param name="Peer">The other end of a link.</param>
/// <param name="Value">A share (loss) or seconds (latency).</param>
/// <param name="Operation">The AWS operation a latency applies to, or null for every call.</param>
/// <param name="Mode">How an AWS outage fails.</param>
internal sealed record NemesisAction(ActionKind Kind, string Node, string? Peer = null, double Value = 0, string? Operation = null, OutageMode Mode = OutageMode.BlackHole)
{
    /// <summary>The owner role.</summary>
    public const string Owner = "owner";

    /// <summary>The standby role.</summary>
    public const string Standby = "standby";

    /// <summary>Heal everything.</summary>
    public static NemesisAction Heal { get; } = new(ActionKind.HealAll, "all");

    /// <summary>The action with its node (and peer) resolved.</summary>
    /// <param name="node">The node.</param>
    /// <param name="peer">The peer.</param>
    /// <returns>The resolved action.</returns>
    public NemesisAction Resolved(string node, string? peer) => this with { Node = node, Peer = peer };

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        ActionKind.Kill => $"kill -9 {Node}",
        ActionKind.Start => $"start {Node}",
        ActionKind.Pause => $"SIGSTOP {Node}",
        ActionKind.Resume => $"SIGCONT {Node}",
        ActionKind.Isolate => $"cut {Node}'s heartbeats to and from every peer",
        ActionKind.Rejoin => $"heal {Node}'s heartbeat links",
        ActionKind.CutLink => $"cut heartbeats {Node} -> {Peer}",
        ActionKind.LinkDelay => string.Create(CultureInfo.InvariantCulture, $"delay heartbeats {Node} -> {Peer} by {Value:0.000} s"),
        ActionKind.LinkLoss => string.Create(CultureInfo.InvariantCulture, $"drop {Value:P0} of heartbeats between {Node} and {Peer}"),
        ActionKind.AwsLatency => string.Create(CultureInfo.InvariantCulture, $"{Value:0.000} s latency on {Node}'s {Operation ?? "AWS"} calls"),
        ActionKind.AwsSlowAnswer => string.Create(CultureInfo.InvariantCulture, $"AWS answers {Node}'s {Operation ?? "AWS"} calls {Value:0.000} s late (they take effect at once)"),
        ActionKind.AwsOutage => $"AWS outage on {Node} ({(Mode == OutageMode.Refuse ? "connections reset" : "black hole")})",
        ActionKind.AwsHeal => $"{Node}'s AWS calls clean again",
        ActionKind.NpDown => $"{Node}'s network-partition target stops answering",
        ActionKind.NpUp => $"{Node}'s network-partition target answers again",
        ActionKind.PowerOff => $"stop {Node}'s instance in the emulator (power-off)",
        ActionKind.HealAll => "heal everything: links, AWS, NP targets, frozen processes; start stopped instances and dead processes",
        _ => Kind.ToString(),
    };
}
