using ClusterPro.Applications.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;

namespace ClusterPro.Applications.Tcp;

/// <summary>Adds TCP monitors to a ClusterPro builder.</summary>
public static class TcpClusterProBuilderExtensions
{
    /// <summary>Adds a TCP monitor: normal when a connection to its address is accepted, error 7 when not.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The monitor name.</param>
    /// <param name="configure">The address, and the resource watched.</param>
    /// <param name="monitor">Interval, timeout, retries, start wait and recovery.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddTcpMonitor(this IClusterProBuilder builder, string name, Action<TcpMonitorOptions> configure, Action<MonitorOptions>? monitor = null) =>
        ApplicationRegistration.AddMonitor(
            builder,
            name,
            configure,
            monitor,
            (o, path, cluster, _, errors) =>
            {
                PerNodeSetting.Validate(o.Address, $"{path}:Address", cluster?.NodeNames ?? [], required: true, errors);
                foreach (var (node, address) in Values(o.Address))
                {
                    if (!string.IsNullOrWhiteSpace(address) && TcpAddress.Parse(address) is null)
                    {
                        errors.Add($"{path}:Address{node} is '{address}'; use host:port, e.g. 127.0.0.1:5432 or [::1]:5432.");
                    }
                }
            },
            (_, o) => new TcpMonitor(name, o.Address));

    /// <summary>The common value and every override, with the path suffix that names each.</summary>
    internal static IEnumerable<(string Suffix, string? Value)> Values(PerNode<string> setting) =>
        new[] { (string.Empty, setting.Common) }.Concat(setting.Nodes.Select(n => ($":Nodes:{n.Key}", (string?)n.Value)));
}
