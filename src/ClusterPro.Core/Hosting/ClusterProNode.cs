using ClusterPro.Failover;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Hosting;

/// <summary>
/// The node this process runs under the Generic Host (registered by <c>AddFailoverManager</c>): which node it is, its
/// failover manager once started, its events and view, and how it stopped. Resolve it from the host's services.
/// </summary>
public sealed class ClusterProNode
{
    private readonly TaskCompletionSource<FailoverManager> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private FailoverManager? _manager;

    internal ClusterProNode(ILogger<ClusterProNode>? logger = null) =>
        _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The node's name once known (from <c>ClusterPro:Node</c> or the machine's identity), else <see langword="null"/>.</summary>
    public string? NodeName => _manager?.NodeName;

    /// <summary>The running failover manager, or <see langword="null"/> before the host started it.</summary>
    public FailoverManager? Manager => _manager;

    /// <summary>Completes with the manager when the host has started it; faults when the node could not start.</summary>
    public Task<FailoverManager> Started => _started.Task;

    /// <summary>How the node stopped, or <see langword="null"/> while it has not.</summary>
    public NodeStopOutcome? StopOutcome { get; internal set; }

    /// <summary>
    /// Raised for every step of the hosted manager (subscribe any time, even before the host starts); a subscriber that
    /// throws is logged and skipped.
    /// </summary>
    public event EventHandler<FailoverEvent>? Event;

    /// <summary>What the node knows of the cluster now.</summary>
    /// <returns>A snapshot.</returns>
    /// <exception cref="InvalidOperationException">The host has not started the node.</exception>
    public ClusterView GetView() =>
        (_manager ?? throw new InvalidOperationException("The node has not started; await ClusterProNode.Started (the host starts it).")).GetView();

    internal void Attach(FailoverManager manager)
    {
        _manager = manager;
        manager.Event += Forward;
    }

    internal void MarkStarted() => _started.TrySetResult(_manager!);

    internal void MarkFailed(Exception exception) => _started.TrySetException(exception);

    private void Forward(object? sender, FailoverEvent e) =>
        FailoverEventHandlers.RaiseEach(Event, this, e, ex => Diagnostics.Log.PluginFailed(_logger, ex, e.Node, "a ClusterProNode.Event subscriber"));
}
