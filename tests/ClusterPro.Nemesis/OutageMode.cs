namespace ClusterPro.Nemesis;

/// <summary>How a node's AWS endpoint fails during an outage.</summary>
internal enum OutageMode
{
    /// <summary>Connections are reset at once (an endpoint that refuses).</summary>
    Refuse,

    /// <summary>Requests are never answered; the caller's timeout ends them (a black hole).</summary>
    BlackHole,
}
