using ClusterPro.Groups;

namespace ClusterPro.Failover;

/// <summary>What a group operation did, as the decision core needs it.</summary>
/// <param name="Outcome">How it ended; <see langword="null"/> when it was cancelled or threw.</param>
/// <param name="FinalAction">The final action taken inside the operation, if any.</param>
/// <param name="AnyActive">Whether any resource of the group is active on this node afterwards.</param>
/// <param name="Summary">One line for the timeline.</param>
internal sealed record GroupOperationOutcome(GroupOutcome? Outcome, FinalAction? FinalAction, bool AnyActive, string Summary)
{
    /// <summary>From a finished operation.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The outcome.</returns>
    public static GroupOperationOutcome From(GroupOperationResult result) =>
        new(result.Outcome, result.FinalAction, result.ActiveResources.Count > 0, result.ToString());
}
