namespace ClusterPro.Failover;

/// <summary>The outcome of fencing a peer.</summary>
/// <param name="Fenced">True when the peer is known to be stopped.</param>
/// <param name="Code">0 on success; the spec-style code otherwise.</param>
/// <param name="Message">What happened.</param>
public sealed record FenceResult(bool Fenced, int Code, string Message);

/// <summary>Stops a peer so that it cannot keep a group (a forced-stop resource; on AWS, EC2 StopInstances).</summary>
public interface IFencingAgent
{
    /// <summary>Stops <paramref name="peerNode"/>, unless this node itself is not in a state to fence (then it does nothing).</summary>
    /// <param name="selfNode">This node.</param>
    /// <param name="peerNode">The peer to stop.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The outcome.</returns>
    Task<FenceResult> FenceAsync(string selfNode, string peerNode, CancellationToken cancellationToken = default);
}
