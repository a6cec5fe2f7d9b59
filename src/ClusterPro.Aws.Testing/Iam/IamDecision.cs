namespace ClusterPro.Aws.Testing.Iam;

/// <summary>The outcome of evaluating a request against an identity policy, as IAM decides it.</summary>
internal enum IamDecision
{
    /// <summary>An Allow statement matched every resource and no Deny statement matched any.</summary>
    Allowed,

    /// <summary>No Allow statement matched (some resource): denied by default.</summary>
    ImplicitDeny,

    /// <summary>A Deny statement matched: denied whatever else allows it.</summary>
    ExplicitDeny,
}
