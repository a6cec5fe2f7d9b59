namespace ClusterPro.Control;

/// <summary>
/// One request on the control channel. Requests are idempotent by <see cref="Id"/>: a node that receives the same id
/// again (a retransmission) answers what it answered the first time and does nothing more.
/// </summary>
/// <param name="Command">What is asked.</param>
/// <param name="Id">A unique id chosen by the sender (a new one per command).</param>
/// <param name="SentAtMs">The sender's wall clock in Unix milliseconds; a request older or newer than the heartbeat's
/// <c>MaxClockSkew</c> is dropped, so a captured request cannot be replayed later.</param>
public sealed record ControlRequest(ControlCommand Command, string Id, long SentAtMs)
{
    /// <summary>The group, for <see cref="ControlCommand.Move"/> and (optionally) <see cref="ControlCommand.Cleanup"/>.</summary>
    public string? Group { get; init; }

    /// <summary>For <see cref="ControlCommand.Move"/>: the node to move the group to, or <see langword="null"/> for the next one by priority.</summary>
    public string? Target { get; init; }

    /// <summary>For <see cref="ControlCommand.Standby"/> and <see cref="ControlCommand.Maintenance"/>: on or off.</summary>
    public bool On { get; init; }

    /// <summary>For <see cref="ControlCommand.Standby"/>: go ahead even when a group has no other node to move to (it stops).</summary>
    public bool Force { get; init; }

    /// <summary>Who sends it, for the timeline: a node's name, or the operator's tool.</summary>
    public string? From { get; init; }
}
