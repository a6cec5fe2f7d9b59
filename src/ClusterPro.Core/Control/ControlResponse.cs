namespace ClusterPro.Control;

/// <summary>A node's answer to a <see cref="ControlRequest"/>.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="Node">The node that answers.</param>
/// <param name="Accepted">Whether the command was taken (or was already in effect); false with the reason in <paramref name="Message"/>.</param>
/// <param name="Message">What happens, or why not.</param>
public sealed record ControlResponse(string Id, string Node, bool Accepted, string Message)
{
    /// <summary>For <see cref="ControlCommand.Status"/>: the node's report.</summary>
    public NodeReport? Report { get; init; }
}
