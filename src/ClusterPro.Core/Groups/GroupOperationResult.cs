using ClusterPro.Failover;
using ClusterPro.Resources;

namespace ClusterPro.Groups;

/// <summary>Activation or deactivation.</summary>
public enum GroupOperation
{
    /// <summary>Activation (in dependency order).</summary>
    Activate,

    /// <summary>Deactivation (in reverse dependency order).</summary>
    Deactivate,
}

/// <summary>How a group operation ended.</summary>
public enum GroupOutcome
{
    /// <summary>Every resource reached the requested state.</summary>
    Succeeded,

    /// <summary>A resource failed to activate after its retries; the group should fail over to another node.</summary>
    FailoverRequested,

    /// <summary>A resource failed and its thresholds are used up; the final action was taken (see <see cref="GroupOperationResult.FinalAction"/>).</summary>
    FinalActionTaken,
}

/// <summary>One resource's part in a group operation.</summary>
/// <param name="Name">The resource.</param>
/// <param name="Result">Its last result.</param>
/// <param name="Attempts">How many attempts were made (1 + retries).</param>
public sealed record ResourceOperationRecord(string Name, ResourceResult Result, int Attempts);

/// <summary>The outcome of activating or deactivating a group, with exactly which resources are active afterwards.</summary>
/// <param name="GroupName">The group.</param>
/// <param name="NodeName">The node it ran on.</param>
/// <param name="Operation">Activate or deactivate.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Resources">Every resource that was attempted, in the order attempted.</param>
/// <param name="ActiveResources">The resources active on this node afterwards, in activation order.</param>
/// <param name="FailedResource">The resource that failed, if any.</param>
/// <param name="FinalAction">The final action taken, when <see cref="Outcome"/> is <see cref="GroupOutcome.FinalActionTaken"/>.</param>
/// <param name="Duration">How long the operation took.</param>
public sealed record GroupOperationResult(
    string GroupName,
    string NodeName,
    GroupOperation Operation,
    GroupOutcome Outcome,
    IReadOnlyList<ResourceOperationRecord> Resources,
    IReadOnlyList<string> ActiveResources,
    string? FailedResource,
    FinalAction? FinalAction,
    TimeSpan Duration)
{
    /// <summary>True when every resource reached the requested state.</summary>
    public bool Succeeded => Outcome == GroupOutcome.Succeeded;

    /// <summary>One line a person can act on, naming what is active and what failed.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        var verb = Operation == GroupOperation.Activate ? "Activating" : "Deactivating";
        var active = ActiveResources.Count == 0 ? "none" : string.Join(", ", ActiveResources);
        if (Succeeded)
        {
            return $"{verb} group {GroupName} on {NodeName} succeeded in {Duration.TotalMilliseconds:0} ms; active: {active}.";
        }

        var failed = Resources.LastOrDefault(r => string.Equals(r.Name, FailedResource, StringComparison.OrdinalIgnoreCase));
        var why = failed is null ? string.Empty : $"({failed.Result.Code} : {failed.Result.Message})";
        var next = Outcome == GroupOutcome.FailoverRequested ? "failover requested" : $"final action {FinalAction}";
        return $"{verb} {FailedResource} resource has failed.{why} Group {GroupName} on {NodeName}: {next}; active: {active}.";
    }
}

/// <summary>One resource operation finished (see <see cref="FailoverGroup.ResourceCompleted"/>).</summary>
/// <param name="Operation">Activate or deactivate.</param>
/// <param name="NodeName">The node.</param>
/// <param name="Record">The resource, its result and attempts.</param>
public sealed class ResourceCompletedEventArgs(GroupOperation Operation, string NodeName, ResourceOperationRecord Record) : EventArgs
{
    /// <summary>Activate or deactivate.</summary>
    public GroupOperation Operation { get; } = Operation;

    /// <summary>The node.</summary>
    public string NodeName { get; } = NodeName;

    /// <summary>The resource, its result and attempts.</summary>
    public ResourceOperationRecord Record { get; } = Record;
}
