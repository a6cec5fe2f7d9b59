namespace ClusterPro.Groups;

/// <summary>
/// An activation step that was not started because the failover manager's decision core said the activation may not go
/// on (it was called off, or the group's lease is gone or has run out): nothing more is written; the group is released.
/// </summary>
internal sealed class ActivationStoppedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which step was not started, and why.</param>
    public ActivationStoppedException(string message)
        : base(message)
    {
    }
}
