namespace ClusterPro.Aws.Testing.Iam;

/// <summary>The verdict on a request: the decision, and the resource that was refused when denied.</summary>
/// <param name="Decision">Allowed, implicit or explicit deny.</param>
/// <param name="DeniedResource">The first resource refused, or <see langword="null"/> when allowed.</param>
internal sealed record IamVerdict(IamDecision Decision, string? DeniedResource);
