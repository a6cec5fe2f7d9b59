using ClusterPro.Control;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;

namespace ClusterPro.Samples.ConsoleHost.Web;

/// <summary>
/// The page's operations — move a group, standby / unstandby a node, maintenance on / off — as the tool's commands do
/// them: a control request to the node that must act (the group's holder, the node itself, every node), executed by
/// this node's manager when it is that node (<see cref="FailoverManager.HandleControlAsync"/>) and relayed over the
/// authenticated heartbeat channel otherwise (<see cref="FailoverManager.AskPeerAsync"/>). Each answers at once with
/// what the node said; the page then shows the cluster doing it.
/// </summary>
internal sealed class WebOperations
{
    /// <summary>How long a relayed request waits for the node's answer.</summary>
    public static readonly TimeSpan AnswerBudget = TimeSpan.FromSeconds(5);

    private readonly ClusterWatch _watch;
    private readonly ClusterProOptions _options;

    public WebOperations(ClusterWatch watch, ClusterProFactory factory)
    {
        _watch = watch;
        _options = factory.Options;
    }

    /// <summary>Moves a group: asks the node that holds it to hand it to <paramref name="target"/> (or the next node by priority).</summary>
    public async Task<WebAnswer> MoveAsync(string? group, string? target, string from, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(group) || !_options.Groups.ContainsKey(group))
        {
            return WebAnswer.Invalid($"'{group}' is not a group ({string.Join(", ", _options.Groups.Keys)}).");
        }

        if (!string.IsNullOrWhiteSpace(target) && !IsNode(target))
        {
            return WebAnswer.Invalid($"'{target}' is not a node ({string.Join(", ", _options.NodeNames)}).");
        }

        var (manager, reports) = await _watch.ReportsAsync(cancellationToken).ConfigureAwait(false);
        var holder = reports.Values.OfType<NodeReport>()
            .FirstOrDefault(r => r.View.Groups.Any(g => Same(g.Group, group) && g.LocalState == GroupClaimState.Active))?.View.Node;
        if (holder is null)
        {
            return WebAnswer.Refused(null, $"No running node holds {group} as an active group; nothing was moved.");
        }

        var request = New(manager, ControlCommand.Move, from) with { Group = group, Target = string.IsNullOrWhiteSpace(target) ? null : target };
        return Answer(holder, await AskAsync(manager, holder, request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Puts a node on standby, or takes it off.</summary>
    public async Task<WebAnswer> StandbyAsync(string? node, bool on, bool force, string from, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(node) || !IsNode(node))
        {
            return WebAnswer.Invalid($"'{node}' is not a node ({string.Join(", ", _options.NodeNames)}).");
        }

        var (manager, _) = await _watch.ReportsAsync(cancellationToken).ConfigureAwait(false);
        var request = New(manager, ControlCommand.Standby, from) with { On = on, Force = force };
        return Answer(node, await AskAsync(manager, node, request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Turns the cluster's maintenance on or off: every node is told at once (a node that misses it learns it from its peers).</summary>
    public async Task<WebAnswer> MaintenanceAsync(bool on, string from, CancellationToken cancellationToken)
    {
        var (manager, _) = await _watch.ReportsAsync(cancellationToken).ConfigureAwait(false);
        var request = New(manager, ControlCommand.Maintenance, from) with { On = on };
        var nodes = _options.NodeNames;
        var answers = await Task.WhenAll(nodes.Select(n => AskAsync(manager, n, request, cancellationToken))).ConfigureAwait(false);
        var local = answers.FirstOrDefault(a => a is not null && Same(a.Node, manager.NodeName));
        var silent = nodes.Zip(answers).Where(x => x.Second is null).Select(x => x.First).ToList();
        var message = (local?.Message ?? $"Maintenance {(on ? "on" : "off")}.")
            + (silent.Count == 0 ? string.Empty : $" {string.Join(", ", silent)} did not answer; a node learns the setting from its peers' heartbeats when it runs.");
        return local is { Accepted: true } || answers.Any(a => a is { Accepted: true })
            ? new WebAnswer(200, true, manager.NodeName, message)
            : WebAnswer.Refused(manager.NodeName, message);
    }

    private static ControlRequest New(FailoverManager manager, ControlCommand command, string from) =>
        new(command, Guid.NewGuid().ToString("N"), TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds()) { From = $"{from} via {manager.NodeName}'s web view" };

    /// <summary>This node's manager executes it; any other node is asked over the control channel.</summary>
    private static async Task<ControlResponse?> AskAsync(FailoverManager manager, string node, ControlRequest request, CancellationToken cancellationToken) =>
        Same(node, manager.NodeName)
            ? await manager.HandleControlAsync(request, cancellationToken).ConfigureAwait(false)
            : await manager.AskPeerAsync(node, request, AnswerBudget, cancellationToken).ConfigureAwait(false);

    private static WebAnswer Answer(string node, ControlResponse? answer) => answer switch
    {
        null => new WebAnswer(504, false, node, $"{node} did not answer within {AnswerBudget.TotalSeconds:0} s; nothing changed."),
        { Accepted: true } => new WebAnswer(200, true, node, answer.Message),
        _ => WebAnswer.Refused(node, $"{node} refused: {answer.Message}"),
    };

    private bool IsNode(string name) => _options.NodeNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}

/// <summary>An operation's outcome, as the page gets it.</summary>
/// <param name="Status">The HTTP status: 200 taken, 400 a request that names nothing real, 409 refused, 504 no answer.</param>
/// <param name="Accepted">Whether the node took it.</param>
/// <param name="Node">The node that answered (or should have).</param>
/// <param name="Message">What happens, or why not.</param>
internal sealed record WebAnswer(int Status, bool Accepted, string? Node, string Message)
{
    public static WebAnswer Invalid(string message) => new(400, false, null, message);

    public static WebAnswer Refused(string? node, string message) => new(409, false, node, message);
}
