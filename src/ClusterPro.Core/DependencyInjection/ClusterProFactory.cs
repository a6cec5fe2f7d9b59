using System.Diagnostics.Metrics;
using ClusterPro.Failover;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClusterPro.DependencyInjection;

/// <summary>
/// Creates failover groups and monitor runners from the validated <see cref="ClusterProOptions"/> and the
/// implementations registered under each name. Each call creates fresh per-node state, so two nodes can run
/// in one process (tests, demos).
/// </summary>
public sealed class ClusterProFactory
{
    private readonly IServiceProvider _services;
    private readonly IFinalActionHandler _finalActions;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly IMeterFactory? _meterFactory;

    /// <summary>Creates the factory (normally resolved from DI).</summary>
    /// <param name="services">The service provider holding the keyed implementations.</param>
    /// <param name="options">The cluster options.</param>
    /// <param name="finalActions">The host's final-action handler.</param>
    /// <param name="timeProvider">Time source.</param>
    public ClusterProFactory(IServiceProvider services, IOptions<ClusterProOptions> options, IFinalActionHandler finalActions, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        Options = options.Value;
        _finalActions = finalActions;
        _time = timeProvider;
        _loggerFactory = services.GetService<ILoggerFactory>();
        _meterFactory = services.GetService<IMeterFactory>();
    }

    /// <summary>The validated cluster options.</summary>
    public ClusterProOptions Options { get; }

    /// <summary>Creates the named group with its resources.</summary>
    /// <param name="groupName">The group.</param>
    /// <returns>A new group instance (state for one node).</returns>
    public FailoverGroup CreateGroup(string groupName)
    {
        if (!Options.Groups.TryGetValue(groupName, out var group))
        {
            throw new ArgumentException($"No group '{groupName}' is configured; configured groups: {string.Join(", ", Options.Groups.Keys)}.", nameof(groupName));
        }

        var members = group.Resources
            .Select(r => new GroupMember(_services.GetRequiredKeyedService<IGroupResource>(r.Name), r))
            .ToList();
        return new FailoverGroup(groupName, members, _finalActions, _time, _loggerFactory, _meterFactory);
    }

    /// <summary>
    /// Creates the failover manager for <paramref name="nodeName"/>: its groups, its monitors (with the manager as their
    /// recovery actions), the NP resolvers from <see cref="ClusterProOptions.NetworkPartition"/>, the registered
    /// <see cref="IFencingAgent"/> (if any) and, unless given, a UDP heartbeat transport on the node's endpoint.
    /// </summary>
    /// <param name="nodeName">The node.</param>
    /// <param name="transport">The heartbeat transport, or null for UDP.</param>
    /// <param name="resolvers">NP resolvers, or null for those configured.</param>
    /// <returns>The manager (start it with <see cref="FailoverManager.StartAsync"/>).</returns>
    public FailoverManager CreateFailoverManager(string nodeName, IHeartbeatTransport? transport = null, IReadOnlyList<Partition.INetworkPartitionResolver>? resolvers = null)
    {
        if (!Options.NodeNames.Contains(nodeName, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{nodeName}' is not a cluster node ({string.Join(", ", Options.NodeNames)}); check --node and ClusterPro:Nodes.", nameof(nodeName));
        }

        var groups = Options.Groups.Keys.ToDictionary(g => g, CreateGroup, StringComparer.OrdinalIgnoreCase);
        resolvers ??= Options.NetworkPartition.Http
            .Select((h, i) => (Partition.INetworkPartitionResolver)new Partition.HttpNetworkPartitionResolver($"http{i + 1}", PartitionHttpClient(), h, _time))
            .Concat(Options.NetworkPartition.Ping.Count > 0 ? [new Partition.PingNetworkPartitionResolver("ping", [.. Options.NetworkPartition.Ping], Options.NetworkPartition.PingTimeout)] : [])
            .ToList();
        transport ??= new UdpHeartbeatTransport(nodeName, Options.Heartbeat.Endpoints.ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase));
        var manager = new FailoverManager(nodeName, Options, groups, Options.Heartbeat, transport, resolvers, _services.GetService<IFencingAgent>(), _finalActions, Options.Failover, _time, _loggerFactory, _meterFactory, _services.GetService<Witness.IGroupLeaseStore>());
        manager.AddMonitors(Options.Monitors.Keys.Select(m => CreateMonitorRunner(m, nodeName, manager)));
        return manager;
    }

    private HttpClient PartitionHttpClient() =>
        _services.GetService<IHttpClientFactory>()?.CreateClient(Partition.HttpNetworkPartitionResolver.HttpClientName) ?? SharedPartitionClient.Value;

    private static readonly Lazy<HttpClient> SharedPartitionClient = new(() => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }));

    /// <summary>Creates a runner for the named monitor on <paramref name="nodeName"/>.</summary>
    /// <param name="monitorName">The monitor.</param>
    /// <param name="nodeName">The node it runs on.</param>
    /// <param name="actions">Carries out its recovery steps.</param>
    /// <returns>A new runner.</returns>
    public MonitorRunner CreateMonitorRunner(string monitorName, string nodeName, IRecoveryActions actions)
    {
        if (!Options.Monitors.TryGetValue(monitorName, out var monitorOptions))
        {
            throw new ArgumentException($"No monitor '{monitorName}' is configured; configured monitors: {string.Join(", ", Options.Monitors.Keys)}.", nameof(monitorName));
        }

        var monitor = _services.GetRequiredKeyedService<IMonitorResource>(monitorName);
        return new MonitorRunner(monitor, monitorOptions, nodeName, actions, _time, _loggerFactory, _meterFactory);
    }
}
