using ClusterPro.Resources;

namespace ClusterPro.Aws.Internal;

/// <summary>A classified AWS call failure; its message is what the operator sees.</summary>
internal sealed class AwsCallException(AwsFailureKind kind, string? errorCode, string message, Exception? inner)
    : Exception(message, inner)
{
    public AwsFailureKind Kind { get; } = kind;

    public string? ErrorCode { get; } = errorCode;

    public bool IsNoAnswer => Kind is AwsFailureKind.NoAnswer or AwsFailureKind.Timeout;

    /// <summary>The resource result for this failure: the resource's timeout code and message, else 50 with this message.</summary>
    public ResourceResult ToResourceResult(int timeoutCode, string timeoutMessage, IReadOnlyList<string> changes) =>
        Kind == AwsFailureKind.Timeout
            ? ResourceResult.Failure(timeoutCode, timeoutMessage, changes)
            : ResourceResult.Failure(AwsResultCodes.ApiFailed, Message, changes);
}
