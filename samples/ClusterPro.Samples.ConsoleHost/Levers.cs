using System.Diagnostics;
using System.Globalization;
using ClusterPro.Control;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// The operator's levers on a running cluster: <c>move</c>, <c>standby</c> / <c>unstandby</c>, <c>maintenance on|off</c>
/// and <c>cleanup</c>. Each sends its command over the control channel to the node that must act, then waits until the
/// cluster has done it (or the time budget runs out, naming what did not happen). Every command is an event in the
/// timeline of every node it reaches.
/// </summary>
internal static class Levers
{
    /// <summary>The cluster did what was asked.</summary>
    public const int Done = 0;

    /// <summary>A node refused (the reason is printed), or the cluster did not finish within the time budget.</summary>
    public const int NotDone = 1;

    /// <summary>No node that must act answered.</summary>
    public const int Unreachable = 2;

    public const string ExitCodes = "Exit 0: done; 1: refused (the reason is printed) or not done within --timeout (what did not happen is printed); 2: the node that must act did not answer.";

    /// <summary>
    /// A lever's own budget within the command's <c>--timeout</c>: it stops waiting a little before the command's
    /// deadline, so that it is the lever that says what did not happen.
    /// </summary>
    public static TimeSpan Budget(double seconds) => TimeSpan.FromSeconds(seconds - Math.Min(1, seconds / 10));

    public static async Task<int> MoveAsync(string config, string group, string? to, TimeSpan timeout, TextWriter output, TextWriter error)
    {
        var (options, client) = Open(config);
        using var _ = client;
        if (!options.Groups.ContainsKey(group))
        {
            throw new UsageException($"--group {group} is not a group ({string.Join(", ", options.Groups.Keys)}).");
        }

        if (to is not null)
        {
            ClusterChecks.RequireNode(options.NodeNames, to);
        }

        var clock = Stopwatch.StartNew();
        var reports = await client.GetReportsAsync(ControlChannel.Min(ControlChannel.ReportBudget, timeout));
        var holder = reports.Values.OfType<NodeReport>().FirstOrDefault(r => LocalState(r, group) == GroupClaimState.Active)?.View.Node;
        if (holder is null)
        {
            error.WriteLine($"move: no running node holds {group} as an active group ({Describe(reports, group)}); nothing was moved.");
            return reports.Values.Any(r => r is not null) ? NotDone : Unreachable;
        }

        var answer = await client.AskAsync(holder, client.NewRequest(ControlCommand.Move) with { Group = group, Target = to }, Remaining(timeout, clock));
        if (answer is null)
        {
            error.WriteLine($"move: {holder}, which holds {group}, did not answer within {timeout.TotalSeconds:0.#} s; nothing was moved.");
            return Unreachable;
        }

        if (!answer.Accepted)
        {
            error.WriteLine($"move: {holder} refused: {answer.Message}");
            return NotDone;
        }

        var moved = await WaitAsync(client, timeout, clock, r => r.Values.OfType<NodeReport>().FirstOrDefault(n =>
            !Same(n.View.Node, holder) && (to is null || Same(n.View.Node, to)) && LocalState(n, group) == GroupClaimState.Active)?.View.Node);
        if (moved.Result is null)
        {
            error.WriteLine($"move: {holder} released {group}, but it is not active on {to ?? "another node"} after {timeout.TotalSeconds:0.#} s ({Describe(moved.Reports, group)}).");
            return NotDone;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"move: {group} moved from {holder} to {moved.Result} in {clock.Elapsed.TotalSeconds:0.00} s (planned: no fencing, no heartbeat timeout)."));
        return Done;
    }

    public static async Task<int> StandbyAsync(string config, string node, bool on, bool force, TimeSpan timeout, TextWriter output, TextWriter error)
    {
        var (options, client) = Open(config);
        using var _ = client;
        ClusterChecks.RequireNode(options.NodeNames, node);
        var verb = on ? "standby" : "unstandby";
        var clock = Stopwatch.StartNew();

        // What the node holds now: standby is done once each of these is active on another node (or, forced, stopped).
        var before = await client.GetReportsAsync(ControlChannel.Min(ControlChannel.ReportBudget, timeout));
        var held = before.GetValueOrDefault(node)?.View.Groups.Where(g => Holding(g.LocalState)).Select(g => g.Group).ToList() ?? [];
        var answer = await client.AskAsync(node, client.NewRequest(ControlCommand.Standby) with { On = on, Force = force }, timeout);
        if (answer is null)
        {
            error.WriteLine($"{verb}: {node} did not answer within {timeout.TotalSeconds:0.#} s (is `clusterpro run` running there?); nothing changed.");
            return Unreachable;
        }

        if (!answer.Accepted)
        {
            error.WriteLine($"{verb}: {node} refused: {answer.Message}");
            return NotDone;
        }

        var done = await WaitAsync(client, timeout, clock, r => r.GetValueOrDefault(node) is { } report
            && report.View.OperatorStandby == on
            && (!on || report.View.Groups.All(g => !Holding(g.LocalState)))
            && (!on || held.All(g => force || ActiveElsewhere(r, g, node) is not null))
            ? Where(r, held, node) : null);
        if (done.Result is null)
        {
            error.WriteLine($"{verb}: {node} took the command ({answer.Message}) but {(on ? $"its groups are not active elsewhere yet ({string.Join("; ", held.Select(g => $"{g}: {Describe(done.Reports, g)}"))})" : "is still on standby")} after {timeout.TotalSeconds:0.#} s.");
            return NotDone;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verb}: {answer.Message} {done.Result}Done in {clock.Elapsed.TotalSeconds:0.00} s."));
        return Done;
    }

    public static async Task<int> MaintenanceAsync(string config, bool on, TimeSpan timeout, TextWriter output, TextWriter error)
    {
        var (_, client) = Open(config);
        using var __ = client;
        var clock = Stopwatch.StartNew();
        var answers = await client.AskAllAsync(client.NewRequest(ControlCommand.Maintenance) with { On = on }, ControlChannel.Min(ControlChannel.ReportBudget, timeout));
        var taken = answers.Where(a => a.Value is { Accepted: true }).Select(a => a.Key).ToList();
        if (taken.Count == 0)
        {
            error.WriteLine($"maintenance: no node answered within {ControlChannel.Min(ControlChannel.ReportBudget, timeout).TotalSeconds:0.#} s; nothing changed.");
            return Unreachable;
        }

        var done = await WaitAsync(client, timeout, clock, r =>
            r.Values.OfType<NodeReport>().ToList() is { Count: > 0 } running && running.All(n => n.View.Maintenance == on) ? running.Select(n => n.View.Node).ToList() : null);
        if (done.Result is null)
        {
            error.WriteLine($"maintenance: not every running node follows maintenance {(on ? "on" : "off")} after {timeout.TotalSeconds:0.#} s ({string.Join(", ", done.Reports.Where(r => r.Value is not null).Select(r => $"{r.Key}: {(r.Value!.View.Maintenance ? "on" : "off")}"))}).");
            return NotDone;
        }

        var silent = answers.Where(a => a.Value is null).Select(a => a.Key).ToList();
        output.WriteLine($"maintenance {(on ? "on" : "off")}: {answers[taken[0]]!.Message} Followed by {string.Join(", ", done.Result)}."
            + (silent.Count == 0 ? string.Empty : $" {string.Join(", ", silent)} did not answer; a node learns the setting from its peers' heartbeats when it runs."));
        return Done;
    }

    public static async Task<int> CleanupAsync(string config, string? group, TimeSpan timeout, TextWriter output, TextWriter error)
    {
        var (options, client) = Open(config);
        using var _ = client;
        if (group is not null && !options.Groups.ContainsKey(group))
        {
            throw new UsageException($"--group {group} is not a group ({string.Join(", ", options.Groups.Keys)}).");
        }

        var answers = await client.AskAllAsync(client.NewRequest(ControlCommand.Cleanup) with { Group = group }, timeout);
        foreach (var (node, answer) in answers)
        {
            output.WriteLine(answer is null ? $"{node}: did not answer" : $"{node}: {(answer.Accepted ? "cleared" : "refused")}: {answer.Message}");
        }

        return answers.Values.Any(a => a is { Accepted: true }) ? answers.Values.All(a => a is null or { Accepted: true }) ? Done : NotDone : Unreachable;
    }

    private static (ClusterProOptions Options, ClusterControlClient Client) Open(string config)
    {
        var options = NodeServices.BindOptions(NodeServices.Load(config));
        return (options, ControlChannel.Connect(options));
    }

    /// <summary>Asks every node for its report until <paramref name="done"/> says what was wanted, or the budget runs out.</summary>
    private static async Task<(T? Result, IReadOnlyDictionary<string, NodeReport?> Reports)> WaitAsync<T>(ClusterControlClient client, TimeSpan timeout, Stopwatch clock, Func<IReadOnlyDictionary<string, NodeReport?>, T?> done)
        where T : class
    {
        IReadOnlyDictionary<string, NodeReport?> reports;
        while (true)
        {
            reports = await client.GetReportsAsync(ControlChannel.Min(ControlChannel.ReportBudget, Remaining(timeout, clock)));
            if (done(reports) is { } result)
            {
                return (result, reports);
            }

            if (Remaining(timeout, clock) <= ControlChannel.PollInterval)
            {
                return (null, reports);
            }

            await Task.Delay(ControlChannel.PollInterval, TimeProvider.System);
        }
    }

    private static bool Holding(GroupClaimState? state) =>
        state is GroupClaimState.Activating or GroupClaimState.Active or GroupClaimState.Deactivating or GroupClaimState.Stuck;

    /// <summary>The node other than <paramref name="node"/> on which <paramref name="group"/> is active, or null.</summary>
    private static string? ActiveElsewhere(IReadOnlyDictionary<string, NodeReport?> reports, string group, string node) =>
        reports.Values.OfType<NodeReport>().FirstOrDefault(r => !Same(r.View.Node, node) && LocalState(r, group) == GroupClaimState.Active)?.View.Node;

    /// <summary>Where the groups a node held went, as one sentence (empty when it held none).</summary>
    private static string Where(IReadOnlyDictionary<string, NodeReport?> reports, List<string> groups, string node) =>
        groups.Count == 0 ? string.Empty : string.Join(", ", groups.Select(g => $"{g} is {(ActiveElsewhere(reports, g, node) is { } to ? "active on " + to : "stopped")}")) + ". ";

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch clock) =>
        timeout - clock.Elapsed > TimeSpan.Zero ? timeout - clock.Elapsed : TimeSpan.Zero;

    private static GroupClaimState? LocalState(NodeReport report, string group) =>
        report.View.Groups.FirstOrDefault(g => Same(g.Group, group))?.LocalState;

    private static string Describe(IReadOnlyDictionary<string, NodeReport?> reports, string group) =>
        string.Join(", ", reports.Select(r => $"{r.Key}: {(r.Value is null ? "did not answer" : LocalState(r.Value, group)?.ToString() ?? "never held")}"));

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
