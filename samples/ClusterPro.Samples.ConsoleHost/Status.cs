using System.Text.Json;
using ClusterPro.Control;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>status</c>: the cluster from the running nodes and from AWS, side by side. The nodes answer over the control
/// channel (each node's state, last heard, groups on every node, monitors, last events); AWS says where each VIP's route
/// tables, Elastic IP and DNS record point, and the witness says who holds each lease. Changes nothing.
/// </summary>
internal static class Status
{
    /// <summary>Every group has exactly one owner, the one AWS points at (or is cleanly stopped).</summary>
    public const int Ok = 0;

    /// <summary>A group has no owner, or several, or a resource points elsewhere (drift), or the lease disagrees or expired.</summary>
    public const int Drift = 1;

    /// <summary>An AWS call failed: some placement or lease could not be read (this wins over <see cref="Drift"/>).</summary>
    public const int AwsFailed = 2;

    public const string ExitCodes = "Exit 0: every group has exactly one owner and AWS points at it, or it is cleanly stopped (no node holds it, and what a deactivation clears points nowhere; a stopped cluster says 'stopped'); 1: a group has no owner or several, the nodes and AWS disagree, or the lease points elsewhere or expired (drift); 2: an AWS call failed (wins over 1).";

    /// <summary>How often <c>--watch</c> redraws.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(2);

    /// <summary>Runs the command.</summary>
    /// <param name="refresh">With <c>--watch</c>, each refresh's budget (the command's <c>--timeout</c>); the watch itself runs until Ctrl+C.</param>
    public static async Task<int> RunAsync(string config, string? node, bool json, bool watch, TextWriter output, TimeSpan refresh, CancellationToken cancellationToken = default)
    {
        if (watch && json)
        {
            throw new UsageException("--watch redraws a table in place; leave out --output json (or run status --output json again yourself).");
        }

        await using var services = NodeServices.Build(NodeServices.Load(config), LogLevel.Critical);
        var factory = services.GetRequiredService<ClusterProFactory>();
        if (node is not null)
        {
            ClusterChecks.RequireNode(factory.Options.NodeNames, node);
        }

        using var client = ControlChannel.TryConnect(factory.Options, out var closed);
        while (true)
        {
            StatusDocument document;
            if (watch)
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(refresh);
                document = await ReadAsync(services, factory.Options, client, closed, node, bounded.Token);
            }
            else
            {
                document = await ReadAsync(services, factory.Options, client, closed, node, cancellationToken);
            }

            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(document, Json.Options));
                return document.Cluster.ExitCode;
            }

            if (watch)
            {
                // Home and clear: the table is redrawn in place until Ctrl+C.
                output.Write("\u001b[H\u001b[2J");
            }

            StatusTable.Write(output, document);
            if (!watch)
            {
                return document.Cluster.ExitCode;
            }

            await Task.Delay(WatchInterval, TimeProvider.System, cancellationToken);
        }
    }

    private static Task<StatusDocument> ReadAsync(IServiceProvider services, ClusterProOptions options, ClusterControlClient? client, string? closed, string? here, CancellationToken cancellationToken)
    {
        // The nodes are asked while AWS is read: a node that does not answer costs no AWS time.
        var asked = client is null
            ? Task.FromResult<IReadOnlyDictionary<string, NodeReport?>>(options.NodeNames.ToDictionary(n => n, _ => (NodeReport?)null, StringComparer.OrdinalIgnoreCase))
            : client.GetReportsAsync(ControlChannel.ReportBudget, cancellationToken);
        return ClusterDocument.ReadAsync(services, options, asked, closed, here, cancellationToken);
    }
}

/// <summary>The whole of <c>status --output json</c>.</summary>
internal sealed record StatusDocument(ClusterRow Cluster, string? Node, IReadOnlyList<NodeRow> Nodes, IReadOnlyList<GroupRow> Groups, IReadOnlyList<MonitorRow> Monitors, IReadOnlyList<EventRow> Events, WitnessRow? Witness);

/// <summary>The witness table the leases were read from.</summary>
internal sealed record WitnessRow(string Type, string Table);

/// <summary>The cluster as a whole: ok, drift, stopped or unknown, and whether it is in maintenance.</summary>
internal sealed record ClusterRow(string State, bool Maintenance, int NodesAnswering, int ExitCode, string Summary)
{
    public static ClusterRow Judge(List<GroupRow> groups, List<NodeReport> answered, int nodes, string? closed)
    {
        var maintenance = answered.Any(r => r.View.Maintenance);
        var state = groups.Any(g => g.Verdict == "unknown") ? "unknown"
            : groups.Any(g => g.Verdict == "drift") ? "drift"
            : answered.Count == 0 && groups.All(g => g.Verdict == "stopped") ? "stopped"
            : "ok";
        var exit = state switch { "unknown" => Status.AwsFailed, "drift" => Status.Drift, _ => Status.Ok };
        var reach = closed is not null
            ? closed
            : answered.Count == 0
                ? $"No node answered on its heartbeat endpoint within {ControlChannel.ReportBudget.TotalSeconds:0} s (not running, a different key, or a firewall between)."
                : $"{answered.Count} of {nodes} node(s) answered.";
        var summary = state switch
        {
            "ok" => $"Every group has one owner and AWS points at it{(groups.Any(g => g.Verdict == "stopped") ? " (or it is stopped)" : string.Empty)}.",
            "stopped" => "The cluster is stopped: no node runs, and AWS shows every group released.",
            "drift" => $"{groups.Count(g => g.Verdict == "drift")} group(s) without exactly one owner, or the nodes and AWS disagree.",
            _ => "Some AWS reads failed.",
        };
        return new ClusterRow(state, maintenance, answered.Count, exit, $"{summary} {reach}{(maintenance ? " Maintenance is on: monitors are paused and nothing fails over." : string.Empty)}");
    }
}

/// <summary>
/// One node: its state — up, starting, leaving, standby, maintenance or minority when it answers; when it does not, what
/// its peers last heard (unreachable: they hear it, this tool does not; down; stopped: it left in order), else stopped
/// when every group is stopped, or no answer — when it was last heard, and what it holds.
/// </summary>
internal sealed record NodeRow(string Name, string State, bool Answered, double? LastHeardSeconds, IReadOnlyList<string> Groups, DateTimeOffset? StartedAt)
{
    public static NodeRow Of(string name, IReadOnlyDictionary<string, NodeReport?> reports, List<GroupRow> groups)
    {
        var held = groups.Where(g => string.Equals(g.Owner, name, StringComparison.OrdinalIgnoreCase)).Select(g => g.Name).ToList();
        if (reports.GetValueOrDefault(name) is { } report)
        {
            var v = report.View;
            var state = v.Mode switch
            {
                NodeMode.Starting => "starting",
                NodeMode.Leaving => "leaving",
                NodeMode.Stopped => "stopped",
                _ when v.OperatorStandby => "standby",
                _ when v.Maintenance => "maintenance",
                _ when v.Standby => "minority",
                _ => "up",
            };
            return new NodeRow(name, state, true, 0, held, report.StartedAt);
        }

        // Not answering: what its peers last heard of it.
        var seen = reports.Values.OfType<NodeReport>().Select(r => r.View.Peer(name)).OfType<PeerStatus>().ToList();
        var lastHeard = seen.Where(p => p.SilentFor is not null).Select(p => (double?)Math.Round(p.SilentFor!.Value.TotalSeconds, 1)).Min();
        var silent = seen.Count == 0
            ? (groups.All(g => g.Verdict == "stopped") ? "stopped" : "no answer")
            : seen.Any(p => p.State is PeerState.Up or PeerState.Suspect or PeerState.Relayed) ? "unreachable"
            : seen.Any(p => p.State == PeerState.Left) ? "stopped"
            : "down";
        return new NodeRow(name, silent, false, lastHeard, held, null);
    }
}

/// <summary>One monitor on one node.</summary>
internal sealed record MonitorRow(string Node, string Name, string Status, int Code, string Message, int Failures, int Reactivations, int Failovers, bool FinalActionTaken, bool Suspended, string? LastError, DateTimeOffset? LastErrorAt)
{
    public static MonitorRow Of(string node, MonitorReport m) => new(
        node,
        m.Monitor,
        m.Suspended ? "Suspended" : m.Current.Status.ToString(),
        m.Current.Code,
        m.Current.Message,
        m.ConsecutiveFailures,
        m.Reactivations,
        m.Failovers,
        m.FinalActionTaken,
        m.Suspended,
        m.LastError is { } e ? $"{e.Code} {e.Message}" : null,
        m.LastErrorAt);
}

/// <summary>One event of a node's timeline.</summary>
internal sealed record EventRow(DateTimeOffset At, string Node, string Kind, string Subject, string Detail, bool Succeeded);
