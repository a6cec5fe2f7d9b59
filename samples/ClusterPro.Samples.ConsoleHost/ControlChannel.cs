using ClusterPro.Control;
using ClusterPro.DependencyInjection;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// The tool's way to the running nodes: the control channel on each node's heartbeat endpoint, authenticated by the
/// cluster's heartbeat key (<c>ClusterPro:Heartbeat:Key</c> or <c>CLUSTERPRO_HEARTBEAT_KEY</c>, as the nodes have it).
/// </summary>
internal static class ControlChannel
{
    /// <summary>How long the tool waits for the nodes' reports before it goes on without the silent ones.</summary>
    public static readonly TimeSpan ReportBudget = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a one-shot change (activate, deactivate) listens for a running node before it goes ahead: a running node
    /// answers at once, so a short wait costs a one-shot command little when none runs.
    /// </summary>
    public static readonly TimeSpan GuardBudget = TimeSpan.FromMilliseconds(700);

    /// <summary>How often a lever's command looks again whether the cluster has done it.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Whether the configuration names heartbeat endpoints (a cluster of running nodes, not one-shot commands only).</summary>
    public static bool HasEndpoints(ClusterProOptions options) => options.Heartbeat.Endpoints.Count > 0;

    /// <summary>A client for the configured nodes, or why there can be none (one line naming the setting and the fix).</summary>
    public static ClusterControlClient? TryConnect(ClusterProOptions options, out string? problem)
    {
        problem = null;
        if (!HasEndpoints(options))
        {
            problem = "ClusterPro:Heartbeat:Endpoints is empty, so the tool cannot reach the nodes; give every node's address:port there, as the nodes have it.";
            return null;
        }

        try
        {
            return new ClusterControlClient(options.Heartbeat);
        }
        catch (InvalidOperationException ex)
        {
            problem = $"The control channel is closed to this tool: {ex.Message}";
            return null;
        }
    }

    /// <summary>A client, or the usage error naming what is missing.</summary>
    public static ClusterControlClient Connect(ClusterProOptions options) =>
        TryConnect(options, out var problem) ?? throw new UsageException(problem!);

    /// <summary>The smaller of two budgets.</summary>
    public static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
