namespace ClusterPro.Nemesis;

/// <summary>When the power-off watcher kills the process of a node whose instance is being stopped.</summary>
internal enum PowerOffMode
{
    /// <summary>Once the instance is <c>stopped</c>: the process may run through <c>stopping</c>, the harshest case for a fencer.</summary>
    AtStopped,

    /// <summary>As soon as the instance is <c>stopping</c>: the power is cut at once.</summary>
    AtStopping,
}
