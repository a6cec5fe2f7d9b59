using ClusterPro.DependencyInjection;
using ClusterPro.Failover;

namespace ClusterPro.Samples.ConsoleHost.Web;

/// <summary>
/// The timeline of the last times a group came up somewhere, read from the nodes' events: each episode ends with a
/// group activated on a node and starts with what set it off — a lost peer's last heartbeat (a failover), a hand-off (a
/// move, a planned stop, a fail-back), a peer that left in order, or the node's own start — with every step between:
/// heartbeat lost, partition verdict, fence, lease, each resource released and activated. Its recovery time is the
/// activation's time minus the start's, as <c>clusterpro.failover.duration</c> measures it.
/// </summary>
internal static class FailoverTimeline
{
    /// <summary>How many episodes the timeline keeps (the newest).</summary>
    public const int Kept = 6;

    /// <summary>Builds the episodes from the events of every node that answered.</summary>
    /// <param name="events">The nodes' events (any order; each node's own).</param>
    /// <param name="options">The cluster's settings: which resources make up each group, and the heartbeat timeout.</param>
    /// <returns>The newest <see cref="Kept"/> episodes, newest first.</returns>
    public static IReadOnlyList<TimelineEpisode> Build(IEnumerable<FailoverEvent> events, ClusterProOptions options)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        var all = events.OrderBy(e => e.Timestamp).ToList();
        var episodes = new List<TimelineEpisode>();
        var since = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        foreach (var done in all.Where(e => e.Kind == FailoverEventKind.GroupActivated))
        {
            var group = done.Subject;
            var resources = options.Groups.TryGetValue(group, out var g)
                ? g.Resources.Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase)
                : new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var after = since.GetValueOrDefault(group, DateTimeOffset.MinValue);
            var window = all.Where(e => e.Timestamp > after && e.Timestamp <= done.Timestamp && !ReferenceEquals(e, done)).ToList();
            episodes.Add(Episode(done, window, resources, options.Heartbeat.Timeout));
            if (done.Succeeded)
            {
                since[group] = done.Timestamp;
            }
        }

        return episodes.OrderByDescending(e => e.EndedAt).Take(Kept).ToList();
    }

    private static TimelineEpisode Episode(FailoverEvent done, List<FailoverEvent> window, HashSet<string> resources, TimeSpan heartbeatTimeout)
    {
        var group = done.Subject;
        var node = done.Node;
        bool Here(FailoverEvent e) => Same(e.Node, node);
        var handoffs = window.Where(e => e.Kind == FailoverEventKind.GroupHandedOff && e.Succeeded && Same(e.Subject, group)).ToList();
        var lost = window.LastOrDefault(e => e.Kind == FailoverEventKind.HeartbeatLost && Here(e));
        var left = window.LastOrDefault(e => e.Kind == FailoverEventKind.PeerLeft && Here(e));
        var started = window.LastOrDefault(e => e.Kind == FailoverEventKind.Started && Here(e));

        // What set it off: a hand-off first (a planned move says so), else a lost peer, a peer that left, the node's start.
        string kind;
        string? from = null;
        DateTimeOffset start;
        var steps = new List<TimelineStep>();
        if (handoffs.Count > 0)
        {
            var first = handoffs[0];
            kind = first.Detail.Contains("operator move", StringComparison.OrdinalIgnoreCase) ? "move" : "hand-off";
            from = Same(first.Node, node) ? null : first.Node;
            start = first.Timestamp;
        }
        else if (lost is not null)
        {
            kind = "failover";
            from = lost.Subject;

            // The failure is before the loss is noticed: the peer's last heartbeat, a heartbeat timeout earlier.
            start = lost.Timestamp - heartbeatTimeout;
            steps.Add(new TimelineStep(start, 0, 0, node, "LastHeartbeat", "last heartbeat", lost.Subject, $"The last heartbeat heard from {lost.Subject} (a heartbeat timeout, {heartbeatTimeout.TotalSeconds:0.#} s, before the loss was declared).", true));
        }
        else if (left is not null)
        {
            kind = "switchover";
            from = left.Subject;
            start = left.Timestamp;
        }
        else if (started is not null)
        {
            kind = "start";
            start = started.Timestamp;
        }
        else
        {
            kind = "activation";
            start = window.LastOrDefault(e => e.Kind == FailoverEventKind.ResourceActivated && Here(e) && resources.Contains(e.Subject))?.Timestamp ?? done.Timestamp;
        }

        bool Relevant(FailoverEvent e) => e.Timestamp >= start && e.Kind switch
        {
            FailoverEventKind.HeartbeatLost or FailoverEventKind.PeerLeft => Here(e) && Same(e.Subject, from),
            FailoverEventKind.Started => Here(e) && kind == "start",
            FailoverEventKind.PartitionVerdict or FailoverEventKind.FenceStarted or FailoverEventKind.FenceCompleted => Here(e),
            FailoverEventKind.LeaseAcquired or FailoverEventKind.GroupHandedOff or FailoverEventKind.GroupDeactivated => Same(e.Subject, group),
            FailoverEventKind.ResourceActivated => Here(e) && resources.Contains(e.Subject),
            FailoverEventKind.ResourceDeactivated => !Here(e) && resources.Contains(e.Subject),
            _ => false,
        };

        var previous = start;
        foreach (var e in window.Where(Relevant).Append(done))
        {
            steps.Add(new TimelineStep(e.Timestamp, Ms(e.Timestamp - start), Ms(e.Timestamp - previous), e.Node, e.Kind.ToString(), Label(e.Kind), e.Subject, e.Detail, e.Succeeded));
            previous = e.Timestamp;
        }

        return new TimelineEpisode(kind, group, node, from, start, done.Timestamp, Ms(done.Timestamp - start), done.Succeeded, steps);
    }

    /// <summary>A step's name for people.</summary>
    /// <param name="kind">The event's kind.</param>
    /// <returns>Its label.</returns>
    public static string Label(FailoverEventKind kind) => kind switch
    {
        FailoverEventKind.HeartbeatLost => "heartbeat lost",
        FailoverEventKind.PartitionVerdict => "verdict",
        FailoverEventKind.FenceStarted => "fence started",
        FailoverEventKind.FenceCompleted => "fenced",
        FailoverEventKind.LeaseAcquired => "lease acquired",
        FailoverEventKind.ResourceActivated => "resource active",
        FailoverEventKind.ResourceDeactivated => "resource released",
        FailoverEventKind.GroupActivated => "active",
        FailoverEventKind.GroupDeactivated => "released",
        FailoverEventKind.GroupHandedOff => "hand-off",
        FailoverEventKind.PeerLeft => "peer left",
        FailoverEventKind.Started => "node started",
        _ => kind.ToString(),
    };

    private static long Ms(TimeSpan span) => (long)Math.Round(Math.Max(0, span.TotalMilliseconds));

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One time a group came up on a node, and how long it took.</summary>
/// <param name="Kind"><c>failover</c>, <c>move</c>, <c>hand-off</c>, <c>switchover</c> (a peer left in order), <c>start</c> or <c>activation</c>.</param>
/// <param name="Group">The group.</param>
/// <param name="Node">The node it came up on.</param>
/// <param name="From">The node it came from (the lost or leaving peer, the releasing holder), when known.</param>
/// <param name="StartedAt">When it started: for a failover, the lost peer's last heartbeat.</param>
/// <param name="EndedAt">When the group was active.</param>
/// <param name="RecoveryMs">From start to active, in milliseconds.</param>
/// <param name="Succeeded">Whether the activation succeeded.</param>
/// <param name="Steps">Every step, oldest first.</param>
internal sealed record TimelineEpisode(string Kind, string Group, string Node, string? From, DateTimeOffset StartedAt, DateTimeOffset EndedAt, long RecoveryMs, bool Succeeded, IReadOnlyList<TimelineStep> Steps);

/// <summary>One step of an episode.</summary>
/// <param name="At">When (the node's clock).</param>
/// <param name="OffsetMs">Milliseconds since the episode's start.</param>
/// <param name="DurationMs">Milliseconds since the step before (or the start).</param>
/// <param name="Node">The node it happened on.</param>
/// <param name="Kind">The event's kind (<c>LastHeartbeat</c> for the estimated failure).</param>
/// <param name="Label">The step in words.</param>
/// <param name="Subject">The peer, group or resource.</param>
/// <param name="Detail">The outcome.</param>
/// <param name="Succeeded">Whether it succeeded.</param>
internal sealed record TimelineStep(DateTimeOffset At, long OffsetMs, long DurationMs, string Node, string Kind, string Label, string Subject, string Detail, bool Succeeded);
