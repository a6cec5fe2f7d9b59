using ClusterPro.Resources;

namespace ClusterPro.Failover;

/// <summary>
/// Why a group operation runs, for the resources (<see cref="ResourceContext.Cause"/> and <see cref="ResourceContext.Peer"/>):
/// read from the claims before this node's own claim changes them.
/// </summary>
internal sealed partial class FailoverCore
{
    /// <summary>Why this node activates <paramref name="g"/>, and the node it comes from; called before its claim is set.</summary>
    private (OperationCause Cause, string? Peer) ActivationCause(Group g)
    {
        var best = g.Best;
        if (best is null || Is(best.Holder, Self))
        {
            return (OperationCause.Start, null);
        }

        return OwnerOf(g) switch
        {
            Owner.Lost or Owner.Void => (OperationCause.Failover, best.Holder),
            Owner.Released => (best.Failed ? OperationCause.Failover : OperationCause.Move, best.Holder),
            _ => (OperationCause.Start, null),
        };
    }

    /// <summary>Why this node releases a group, and the node it is handed to (the arguments of <c>Release</c>).</summary>
    private (OperationCause Cause, string? Peer) ReleaseCause(string? target, bool failed, bool stop)
    {
        if (Mode != NodeMode.Running || stop)
        {
            return (OperationCause.Stop, target);
        }

        if (failed)
        {
            return (OperationCause.Failover, target);
        }

        return target is null ? (OperationCause.Stop, null) : (OperationCause.Move, target);
    }
}
