using ClusterPro.Control;
using ClusterPro.Failover;

namespace ClusterPro.Samples.ConsoleHost.Web;

/// <summary>
/// The peers' reports as a running node gathers them for its web view: each peer is asked over the authenticated
/// heartbeat channel (<see cref="FailoverManager.AskPeerAsync"/>). A peer that answered last time is waited for (up to
/// <see cref="AnswerWait"/>); one that did not is asked again in the background and not waited for, so that a dead peer
/// never slows the page. An answer counts for <see cref="Fresh"/>; after that the peer shows as not answering.
/// </summary>
internal sealed class PeerReports
{
    /// <summary>How long a gathering waits for the peers that answered last time.</summary>
    public static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(1);

    /// <summary>How long one question may wait for its answer (asked again every heartbeat interval meanwhile).</summary>
    public static readonly TimeSpan AskBudget = TimeSpan.FromSeconds(2);

    /// <summary>How long an answer stands for the peer.</summary>
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _time;

    public PeerReports(TimeProvider time) => _time = time;

    /// <summary>Every node's report: this node's own, and each peer's latest answer (null when it has not answered lately).</summary>
    /// <param name="manager">This node's manager.</param>
    /// <param name="nodes">Every node of the cluster.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The reports by node.</returns>
    public async Task<IReadOnlyDictionary<string, NodeReport?>> GatherAsync(FailoverManager manager, IReadOnlyList<string> nodes, CancellationToken cancellationToken)
    {
        var waits = new List<Task>();
        lock (_entries)
        {
            foreach (var peer in nodes.Where(n => !Same(n, manager.NodeName)))
            {
                var entry = _entries.TryGetValue(peer, out var known) ? known : _entries[peer] = new Entry();
                if (entry.Asking is not { IsCompleted: false })
                {
                    entry.Asking = AskAsync(manager, peer, entry, cancellationToken);
                }

                if (IsFresh(entry))
                {
                    waits.Add(entry.Asking);
                }
            }
        }

        if (waits.Count > 0)
        {
            await Task.WhenAny(Task.WhenAll(waits), Task.Delay(AnswerWait, _time, cancellationToken)).ConfigureAwait(false);
        }

        var reports = new Dictionary<string, NodeReport?>(StringComparer.OrdinalIgnoreCase);
        lock (_entries)
        {
            foreach (var node in nodes)
            {
                reports[node] = Same(node, manager.NodeName) ? manager.GetReport()
                    : _entries.TryGetValue(node, out var entry) && IsFresh(entry) ? entry.Report
                    : null;
            }
        }

        return reports;
    }

    private async Task AskAsync(FailoverManager manager, string peer, Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            var request = new ControlRequest(ControlCommand.Status, Guid.NewGuid().ToString("N"), _time.GetUtcNow().ToUnixTimeMilliseconds());
            var answer = await manager.AskPeerAsync(peer, request, AskBudget, cancellationToken).ConfigureAwait(false);
            if (answer?.Report is { } report)
            {
                lock (_entries)
                {
                    entry.Report = report;
                    entry.AnsweredAt = _time.GetTimestamp();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The node stops, or the peer cannot be reached now: it shows as not answering, and is asked again next time.
        }
    }

    private bool IsFresh(Entry entry) => entry.Report is not null && _time.GetElapsedTime(entry.AnsweredAt) <= Fresh;

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private sealed class Entry
    {
        public NodeReport? Report { get; set; }

        public long AnsweredAt { get; set; }

        public Task? Asking { get; set; }
    }
}
