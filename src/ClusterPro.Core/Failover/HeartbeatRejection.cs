namespace ClusterPro.Failover;

/// <summary>Why a heartbeat packet was dropped.</summary>
public enum HeartbeatRejection
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>Malformed, or its HMAC does not match the shared key.</summary>
    Unauthenticated,

    /// <summary>An old or repeated packet (a replay), or one of a run of the sender that has since restarted or that this node fenced.</summary>
    Replayed,

    /// <summary>From a node that is not in the cluster.</summary>
    UnknownNode,

    /// <summary>The sender's clock differs from this node's by more than <see cref="HeartbeatOptions.MaxClockSkew"/>.</summary>
    ClockSkew,
}
