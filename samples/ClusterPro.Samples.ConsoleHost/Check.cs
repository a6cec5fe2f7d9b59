using System.Text.Json;
using ClusterPro.Aws.Placement;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>check</c>: every monitor once, as this node sees it. Text: one line per monitor (<c>name status code message</c>);
/// JSON: <c>{ "node", "status", "exitCode", "monitors": [ { "name", "status", "code", "message" } ] }</c>.
/// A monitor of a group (one that runs while a resource of the group is active) is run only where the group is held,
/// as AWS says (the group's AWS resources point at this node: the same reading as <c>status</c>); on a node that does not
/// hold it, it is <c>NotActive</c> ("not active here"), which counts as normal. The exit code is Nagios-style: 0 every
/// monitor Normal (or not active here), 1 a Warning, 2 an Error, 3 (UNKNOWN) nothing could be concluded — a monitor's
/// result is Unknown, or AWS did not say whether this node holds the group — unless a monitor is in Error (2 wins, then 3,
/// then 1). A monitor that throws is that monitor's Error (code 99, naming the exception), as the runner reports it.
/// </summary>
internal static class Check
{
    /// <summary>The status of a monitor whose group is not held here: it was not run.</summary>
    public const string NotActive = "NotActive";

    public const string ExitCodes = "Exit 0: every monitor Normal, or not active here (its group is not held by this node, as AWS says); 1: a Warning; 2: an Error; 3 (unknown): a monitor's result or whether this node holds its group could not be told (an Error wins over 3, 3 over a Warning).";

    public static async Task<int> RunAsync(string config, string node, bool json, TextWriter output, CancellationToken cancellationToken = default)
    {
        var (services, factory) = ConsoleApp.Compose(config, node, LogLevel.Warning);
        await using var _ = services;
        var holdings = new Dictionary<string, Holding>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, group) in factory.Options.Groups)
        {
            holdings[name] = await HoldingAsync(services, factory.Options.NodeNames, node, name, group.Resources.Select(r => r.Name), cancellationToken);
        }

        var results = new List<(string Name, string Status, MonitorResult Result)>();
        foreach (var (name, options) in factory.Options.Monitors)
        {
            var group = options.Timing == MonitorTiming.WhileActive && options.TargetResource is { } target
                ? factory.Options.Groups.FirstOrDefault(g => g.Value.FindResource(target) is not null).Key
                : null;
            var holding = group is null ? null : holdings[group];
            var (status, result) = holding switch
            {
                { Here: false, Known: true } => (NotActive, new MonitorResult(MonitorStatus.Normal, ResultCodes.Success, $"not active here: {holding.Detail}")),
                { Known: false } => (nameof(MonitorStatus.Unknown), MonitorResult.Unknown($"not run: whether {node} holds {group} is unknown: {holding.Detail}")),
                _ => Named(await RunMonitorAsync(services, node, name, options, cancellationToken)),
            };
            results.Add((name, status, result));
            if (!json)
            {
                output.WriteLine($"{name} {status} {result.Code} {result.Message}");
            }
        }

        var worst = Overall(results.Select(r => r.Result.Status));
        var exit = worst switch { MonitorStatus.Normal => 0, MonitorStatus.Warning => 1, MonitorStatus.Unknown => 3, _ => 2 };
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(
                new
                {
                    node,
                    status = worst.ToString(),
                    exitCode = exit,
                    monitors = results.Select(r => new { name = r.Name, status = r.Status, code = r.Result.Code, message = r.Result.Message }),
                },
                Json.Options));
        }

        return exit;
    }

    /// <summary>Error wins, then Unknown (Nagios' UNKNOWN says nothing could be concluded), then Warning.</summary>
    private static MonitorStatus Overall(IEnumerable<MonitorStatus> statuses)
    {
        var all = statuses.ToList();
        return all.Contains(MonitorStatus.Error) ? MonitorStatus.Error
            : all.Contains(MonitorStatus.Unknown) ? MonitorStatus.Unknown
            : all.Contains(MonitorStatus.Warning) ? MonitorStatus.Warning
            : MonitorStatus.Normal;
    }

    private static (string, MonitorResult) Named(MonitorResult result) => (result.Status.ToString(), result);

    private static async Task<MonitorResult> RunMonitorAsync(IServiceProvider services, string node, string name, MonitorOptions options, CancellationToken cancellationToken)
    {
        var monitor = services.GetRequiredKeyedService<IMonitorResource>(name);
        try
        {
            return await monitor.CheckAsync(new MonitorContext(node, name), cancellationToken).WaitAsync(options.Timeout, TimeProvider.System, cancellationToken);
        }
        catch (TimeoutException)
        {
            return monitor.CreateTimeoutResult(options.Timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A monitor that throws is that monitor's Error, as the runner maps it: the exit stays 0 / 1 / 2 / 3.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            return MonitorResult.Error(ResultCodes.UnexpectedException, $"The monitor failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// Whether <paramref name="node"/> holds <paramref name="group"/>, by AWS: yes when any target of its AWS resources is
    /// this node's (a resource drifted elsewhere is then this node's monitors' business); no when every resource answered
    /// and none points here; unknown when none points here and one could not be read. A group without AWS resources has
    /// nothing to read: its monitors run.
    /// </summary>
    private static async Task<Holding> HoldingAsync(IServiceProvider services, IReadOnlyList<string> nodes, string node, string group, IEnumerable<string> resources, CancellationToken cancellationToken)
    {
        var placements = new List<AwsResourcePlacement>();
        foreach (var resource in resources)
        {
            if (services.GetRequiredKeyedService<IGroupResource>(resource) is IAwsResourcePlacement placement)
            {
                placements.Add(await placement.ReadPlacementAsync(nodes, cancellationToken));
            }
        }

        if (placements.Count == 0 || placements.Any(p => p.Targets.Any(t => string.Equals(t.Node, node, StringComparison.OrdinalIgnoreCase))))
        {
            return new Holding(true, true, string.Empty);
        }

        if (placements.FirstOrDefault(p => p.State == AwsPlacementState.Unknown) is { } unread)
        {
            return new Holding(false, false, $"{unread.Resource}: {unread.Detail}");
        }

        var elsewhere = placements.SelectMany(p => p.Targets).Select(t => t.Node).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new Holding(false, true, elsewhere.Count == 0
            ? $"AWS points {group}'s resources at no node"
            : $"AWS points {group} at {string.Join(" and ", elsewhere)}");
    }

    /// <param name="Here">The group is held by this node.</param>
    /// <param name="Known">AWS answered enough to tell.</param>
    /// <param name="Detail">Where AWS points the group, or what could not be read.</param>
    private sealed record Holding(bool Here, bool Known, string Detail);
}
