using ClusterPro.DependencyInjection;
using ClusterPro.Diagnostics;
using ClusterPro.Failover;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Hosting;

/// <summary>
/// Starts the node's failover manager with the host and stops it with the host. A stop is planned: the node releases its
/// groups in order to the next node and tells its peers, which take over at once. The planned stop is bounded by
/// <c>ClusterPro:Failover:StopTimeout</c> and by the host's own shutdown timeout (the stop token); when the host's runs
/// out first, the node stops where it stands (its peers then take the unplanned path). When the node leaves the cluster
/// on its own (a network-partition action, or a final action that stops the cluster service), the host is stopped too.
/// </summary>
internal sealed class ClusterProNodeService(
    ClusterProNode node,
    IServiceProvider services,
    TimeProvider time,
    ILogger<ClusterProNodeService>? logger = null) : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;
    private ClusterProFactory? _factory;
    private volatile bool _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Resolved here, not when the host builds its hosted services: the host checks every setting first, and
            // reports all of them together.
            var factory = _factory = services.GetRequiredService<ClusterProFactory>();
            var resolver = services.GetService<IClusterNodeResolver>();
            var cluster = factory.Options;
            string name;
            string how;
            if (!string.IsNullOrWhiteSpace(cluster.Node))
            {
                name = cluster.NodeNames.First(n => string.Equals(n, cluster.Node, StringComparison.OrdinalIgnoreCase));
                how = $"{ClusterProOptions.SectionName}:Node";
            }
            else if (resolver is not null)
            {
                (name, how) = await resolver.ResolveNodeAsync(cluster, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                throw new ClusterProConfigurationException(
                    $"{ClusterProOptions.SectionName}:Node is not set; name this process's node ({string.Join(", ", cluster.NodeNames)}) there (or with --node), or register a resolver that finds it from the machine's identity (AddNodeFromInstanceMetadata on EC2).");
            }

            Log.NodeResolved(_logger, name, how);
            var manager = factory.CreateFailoverManager(name);
            node.Attach(manager);
            manager.Event += OnEvent;

            // Not the start token: the host cancels it when it starts to stop, which would stop the node where it stands
            // before StopAsync can move its groups in order.
            await manager.StartAsync(CancellationToken.None).ConfigureAwait(false);
            node.MarkStarted();
            Log.NodeStarted(_logger, name, string.Join(", ", manager.Groups.Keys));
        }
        catch (Exception ex)
        {
            node.MarkFailed(ex);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var manager = node.Manager;
        if (manager is null || _factory is not { } factory || node.StopOutcome is not null)
        {
            return;
        }

        _stopping = true;
        var started = time.GetTimestamp();
        var budget = factory.Options.Failover.StopTimeout;
        Log.PlannedStopStarting(_logger, manager.NodeName, Held(manager) is { Length: > 0 } held ? held : "no group", budget.TotalSeconds);
        var planned = manager.StopAsync(deactivateGroups: true);
        var hostGaveUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (cancellationToken.Register(() => hostGaveUp.TrySetResult()).ConfigureAwait(false))
        {
            await Task.WhenAny(planned, hostGaveUp.Task).ConfigureAwait(false);
        }

        var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
        if (!planned.IsCompleted)
        {
            node.StopOutcome = NodeStopOutcome.Cut;
            Log.PlannedStopCut(_logger, manager.NodeName, elapsed, budget.TotalSeconds);

            // Everything still running is cancelled; a plug-in that ignores its cancellation is not waited for long.
            var crash = manager.StopAsync(deactivateGroups: false);
            await Task.WhenAny(crash, Task.Delay(factory.Options.Heartbeat.Interval, time, CancellationToken.None)).ConfigureAwait(false);
            return;
        }

        await planned.ConfigureAwait(false);
        var stuck = Held(manager);
        if (stuck.Length > 0 || !manager.SteppedDown)
        {
            node.StopOutcome = NodeStopOutcome.Incomplete;
            Log.PlannedStopIncomplete(_logger, manager.NodeName, stuck.Length > 0 ? stuck : "its groups");
        }
        else
        {
            node.StopOutcome = NodeStopOutcome.Planned;
            Log.PlannedStopCompleted(_logger, manager.NodeName, elapsed);
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (node.Manager is { } manager)
        {
            await manager.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The groups this node still holds any part of, by its own account.</summary>
    private static string Held(FailoverManager manager) =>
        string.Join(", ", manager.GetView().Groups
            .Where(g => g.LocalState is GroupClaimState.Activating or GroupClaimState.Active or GroupClaimState.Deactivating or GroupClaimState.Stuck)
            .Select(g => g.Group));

    private void OnEvent(object? sender, FailoverEvent e)
    {
        if (e.Kind == FailoverEventKind.Stopped && !_stopping && node.StopOutcome is null)
        {
            // The cluster service stopped: so does the host (a process that holds and decides nothing would look alive to
            // its service manager). StopAsync then finds the outcome set and has nothing to release.
            node.StopOutcome = NodeStopOutcome.LeftOnItsOwn;
            Log.NodeLeftOnItsOwn(_logger, e.Node, e.Detail);
            services.GetService<IHostApplicationLifetime>()?.StopApplication();
        }
    }
}
