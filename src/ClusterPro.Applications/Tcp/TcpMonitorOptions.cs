using ClusterPro.Applications.DependencyInjection;
using ClusterPro.Resources;

namespace ClusterPro.Applications.Tcp;

/// <summary>The settings of a TCP monitor (configuration <c>"Type": "tcp"</c>): normal when a connection to <see cref="Address"/> is accepted.</summary>
public sealed class TcpMonitorOptions : ApplicationMonitorOptions
{
    /// <summary>
    /// Where to connect: <c>host:port</c> (<c>127.0.0.1:5432</c>, <c>db.local:5432</c>, <c>[::1]:5432</c>); one for every node,
    /// or per node (<c>{ "Nodes": { "node1": "10.0.110.100:5432", … } }</c>). Required.
    /// </summary>
    public PerNode<string> Address { get; set; } = new();
}
