namespace ClusterPro.Failover;

/// <summary>The answer of the core to an operator's command.</summary>
/// <param name="Accepted">Whether the command was taken (or was already in effect).</param>
/// <param name="Message">What happens, or why not, in words an operator can act on.</param>
internal sealed record OperatorOutcome(bool Accepted, string Message);
