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
