using System.Text.Json;
using System.Threading.Channels;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Hosting;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost.Web;

/// <summary>
/// The web view's document, kept fresh while someone watches: every <see cref="Refresh"/>, and at once (after
/// <see cref="Settle"/>) when this node records an event, the node gathers its own report and its peers' (over the
/// control channel), reads AWS's placement and the witness as <c>status</c> does, builds the failover timeline, and
/// hands the JSON to every open event stream. Nobody watching, nothing is read: AWS is not asked for an idle page.
/// </summary>
internal sealed partial class ClusterWatch : IDisposable
{
    /// <summary>How often the document is rebuilt while a page is open.</summary>
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(1);

    /// <summary>How long after an event the document is rebuilt (a burst of events makes one rebuild).</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(150);

    private static readonly JsonSerializerOptions Compact = new(Json.Options) { WriteIndented = false };

    private readonly IServiceProvider _services;
    private readonly ClusterProOptions _options;
    private readonly ClusterProNode _node;
    private readonly WebOptions _web;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PeerReports _peers;
    private readonly SemaphoreSlim _building = new(1, 1);
    private readonly List<Channel<string>> _subscribers = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private string? _latest;

    public ClusterWatch(IServiceProvider services, ClusterProFactory factory, ClusterProNode node, WebOptions web, ILogger<ClusterWatch> logger)
    {
        _services = services;
        _options = factory.Options;
        _node = node;
        _web = web;
        _time = TimeProvider.System;
        _logger = logger;
        _peers = new PeerReports(_time);
        _node.Event += (_, _) => Wake();
    }

    /// <summary>Starts the loop that feeds the open streams.</summary>
    public void Start() => _loop ??= Task.Run(() => RunAsync(_stopping.Token));

    /// <summary>The last document built for the streams (JSON), or <see langword="null"/> before the first.</summary>
    public string? Latest => Volatile.Read(ref _latest);

    /// <summary>Opens a stream: it gets every new document (the latest only, when its reader falls behind).</summary>
    /// <returns>The stream; close it with <see cref="Unsubscribe"/>.</returns>
    public Channel<string> Subscribe()
    {
        var subscription = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_subscribers)
        {
            _subscribers.Add(subscription);
        }

        Wake();
        return subscription;
    }

    /// <summary>Closes a stream.</summary>
    /// <param name="subscription">The stream.</param>
    public void Unsubscribe(Channel<string> subscription)
    {
        lock (_subscribers)
        {
            _subscribers.Remove(subscription);
        }

        subscription.Writer.TryComplete();
    }

    /// <summary>The document now (built for this request, or the one just built).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The document.</returns>
    public async Task<WebDocument> ReadAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await _building.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            return await BuildAsync(linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _building.Release();
        }
    }

    /// <summary>Every node's report now: this node's and its peers' (what the operations decide on).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The reports, null for a node that does not answer.</returns>
    public async Task<(FailoverManager Manager, IReadOnlyDictionary<string, Control.NodeReport?> Reports)> ReportsAsync(CancellationToken cancellationToken)
    {
        var manager = await _node.Started.WaitAsync(cancellationToken).ConfigureAwait(false);
        return (manager, await _peers.GatherAsync(manager, _options.NodeNames, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Serializes a document as one line of JSON (an event stream's data line).</summary>
    /// <param name="document">The document.</param>
    /// <returns>The JSON.</returns>
    public static string ToJson(WebDocument document) => JsonSerializer.Serialize(document, Compact);

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Cancel();
        try
        {
            _loop?.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        lock (_subscribers)
        {
            foreach (var s in _subscribers)
            {
                s.Writer.TryComplete();
            }
        }

        _stopping.Dispose();
        _building.Dispose();
    }

    private void Wake() => _wake.TrySetResult();

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var wake = Volatile.Read(ref _wake).Task;
            bool watched;
            lock (_subscribers)
            {
                watched = _subscribers.Count > 0;
            }

            if (!watched)
            {
                await wake.WaitAsync(stopping).ConfigureAwait(false);
                Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                continue;
            }

            Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            try
            {
                var json = ToJson(await ReadAsync(stopping).ConfigureAwait(false));
                Volatile.Write(ref _latest, json);
                lock (_subscribers)
                {
                    foreach (var s in _subscribers)
                    {
                        s.Writer.TryWrite(json);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed read is logged and tried again at the next refresh; the page shows the last document's time.
            catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                Log.DocumentFailed(_logger, ex.GetType().Name, ex.Message);
            }

            // The next refresh, or an event (settled, so that a burst makes one rebuild).
            await Task.WhenAny(Volatile.Read(ref _wake).Task, Task.Delay(Refresh, _time, stopping)).ConfigureAwait(false);
            stopping.ThrowIfCancellationRequested();
            await Task.Delay(Settle, _time, stopping).ConfigureAwait(false);
        }
    }

    private async Task<WebDocument> BuildAsync(CancellationToken cancellationToken)
    {
        var manager = await _node.Started.WaitAsync(cancellationToken).ConfigureAwait(false);

        // The peers are asked while AWS is read, as status does.
        var asking = _peers.GatherAsync(manager, _options.NodeNames, cancellationToken);
        var status = await ClusterDocument.ReadAsync(_services, _options, asking, null, manager.NodeName, cancellationToken).ConfigureAwait(false);
        var reports = await asking.ConfigureAwait(false);
        var timeline = FailoverTimeline.Build(reports.Values.OfType<Control.NodeReport>().SelectMany(r => r.Events), _options);
        return new WebDocument(manager.NodeName, _time.GetUtcNow(), _web.OperationsEnabled, _options.Heartbeat.Timeout.TotalMilliseconds, status, timeline);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, EventName = "WebDocumentFailed", Level = LogLevel.Warning, Message = "web: the cluster document could not be read ({Type}: {Message}); trying again at the next refresh")]
        public static partial void DocumentFailed(ILogger logger, string type, string message);
    }
}

/// <summary>What the page shows: the cluster as <c>status</c> judges it, served by one node, with the failover timeline.</summary>
/// <param name="ServedBy">The node that serves the page.</param>
/// <param name="At">When the document was built (the serving node's clock).</param>
/// <param name="OperationsEnabled">Whether an operator's token is configured (the page's operations can work).</param>
/// <param name="HeartbeatTimeoutMs">The heartbeat timeout, for reading the timeline.</param>
/// <param name="Status">The nodes, groups (with AWS's placement and the lease), monitors and last events.</param>
/// <param name="Timeline">The last times a group came up somewhere, newest first.</param>
internal sealed record WebDocument(string ServedBy, DateTimeOffset At, bool OperationsEnabled, double HeartbeatTimeoutMs, StatusDocument Status, IReadOnlyList<TimelineEpisode> Timeline);
