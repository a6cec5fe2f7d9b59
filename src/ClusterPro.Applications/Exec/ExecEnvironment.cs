namespace ClusterPro.Applications.Exec;

/// <summary>
/// The environment variables an exec resource's commands (and a custom monitor's) are given, so that a script knows why
/// and where it runs. The node's own <c>CLUSTERPRO_*</c> variables (its heartbeat key among them) are not passed on.
/// </summary>
public static class ExecEnvironment
{
    /// <summary>Why it runs: <c>start</c>, <c>failover</c>, <c>move</c> or <c>stop</c> (see <see cref="ClusterPro.Resources.OperationCause"/>).</summary>
    public const string Event = "CLUSTERPRO_EVENT";

    /// <summary>The node it runs on.</summary>
    public const string Node = "CLUSTERPRO_NODE";

    /// <summary>The failover group.</summary>
    public const string Group = "CLUSTERPRO_GROUP";

    /// <summary>The other node concerned, set only when there is one: on start the node the group is taken over from, on stop the node it is handed to.</summary>
    public const string Peer = "CLUSTERPRO_PEER";

    /// <summary>The resource (for a custom monitor, the resource it watches, when it names one).</summary>
    public const string Resource = "CLUSTERPRO_RESOURCE";

    /// <summary>The monitor (a custom monitor's command only).</summary>
    public const string Monitor = "CLUSTERPRO_MONITOR";

    /// <summary>Which command runs: <c>start</c> or <c>stop</c> (<c>check</c> for a custom monitor).</summary>
    public const string Action = "CLUSTERPRO_ACTION";
}
