namespace ClusterPro.Resources;

/// <summary>Whether a group resource operation succeeded.</summary>
public enum ResourceStatus
{
    /// <summary>The operation completed; the resource is in the requested state.</summary>
    Succeeded,

    /// <summary>The operation failed; <see cref="ResourceResult.Code"/> and <see cref="ResourceResult.Message"/> say why.</summary>
    Failed,
}

/// <summary>
/// The outcome of activating or deactivating a group resource: status, the numeric result code
/// from the operator runbook, a message, and exactly what changed in the world.
/// </summary>
/// <param name="Status">Whether the operation succeeded.</param>
/// <param name="Code">The result code (0 on success; the spec's code on failure, e.g. 50 or 53).</param>
/// <param name="Message">A human-readable message (the spec's wording on failure).</param>
/// <param name="Changes">What the operation changed, one line per change, in the order applied. Empty when nothing changed.</param>
public sealed record ResourceResult(ResourceStatus Status, int Code, string Message, IReadOnlyList<string> Changes)
{
    /// <summary>True when <see cref="Status"/> is <see cref="ResourceStatus.Succeeded"/>.</summary>
    public bool Succeeded => Status == ResourceStatus.Succeeded;

    /// <summary>A success that changed nothing (the resource was already in the requested state).</summary>
    /// <param name="message">Optional message.</param>
    public static ResourceResult Unchanged(string message = "Already in the requested state.") =>
        new(ResourceStatus.Succeeded, ResultCodes.Success, message, []);

    /// <summary>A success that made the listed changes.</summary>
    /// <param name="changes">What changed.</param>
    /// <param name="message">Optional message.</param>
    public static ResourceResult Success(IReadOnlyList<string> changes, string message = "Succeeded.") =>
        new(ResourceStatus.Succeeded, ResultCodes.Success, message, changes ?? []);

    /// <summary>A failure with the spec's code and message, and whatever was changed before it failed.</summary>
    /// <param name="code">The result code.</param>
    /// <param name="message">The message.</param>
    /// <param name="changes">What was changed before the failure (never hide a half-applied change).</param>
    public static ResourceResult Failure(int code, string message, IReadOnlyList<string>? changes = null) =>
        new(ResourceStatus.Failed, code, message, changes ?? []);

    /// <inheritdoc />
    public override string ToString() =>
        Changes.Count == 0
            ? $"{Status} {Code} {Message}"
            : $"{Status} {Code} {Message} [{string.Join("; ", Changes)}]";
}
