using System.ComponentModel.DataAnnotations;
using ClusterPro.Failover;

namespace ClusterPro.Groups;

/// <summary>A group resource's place in its group and its recovery on activation / deactivation failure.</summary>
public sealed class GroupResourceOptions
{
    /// <summary>The resource name (matches the name its implementation was registered under).</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Resources of the same group that must be active before this one (deactivated after it).</summary>
    public IList<string> DependsOn { get; } = new List<string>();

    /// <summary>Retries of a failed activation on this node. <value>Default: 0 (range 0–99).</value></summary>
    [Range(0, 99)]
    public int ActivationRetryThreshold { get; set; }

    /// <summary>How many times a failed activation asks for a failover before the final action. <value>Default: 1.</value></summary>
    [Range(0, 99)]
    public int FailoverThreshold { get; set; } = 1;

    /// <summary>Final action on activation failure. <value>Default: <see cref="FinalAction.None"/> (and do not activate the next resource).</value></summary>
    public FinalAction ActivationFinalAction { get; set; } = FinalAction.None;

    /// <summary>Retries of a failed deactivation. <value>Default: 0 (range 0–99).</value></summary>
    [Range(0, 99)]
    public int DeactivationRetryThreshold { get; set; }

    /// <summary>Final action on deactivation failure. <value>Default: <see cref="FinalAction.StopClusterServiceAndShutdownOs"/>.</value></summary>
    public FinalAction DeactivationFinalAction { get; set; } = FinalAction.StopClusterServiceAndShutdownOs;

    /// <summary>Bound on one activation attempt (for AWS resources, longer than three AWS calls). <value>Default: 6 minutes.</value></summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromMinutes(6);

    /// <summary>Bound on one deactivation attempt. <value>Default: 6 minutes.</value></summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromMinutes(6);
}

/// <summary>A failover group: its resources and attributes.</summary>
public sealed class GroupOptions
{
    /// <summary>
    /// Nodes that may run the group, in startup priority order (first = preferred). Empty means every
    /// cluster node in the cluster's order.
    /// </summary>
    public IList<string> Nodes { get; } = new List<string>();

    /// <summary>Start the group automatically when the cluster starts. <value>Default: true.</value></summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>Fail over automatically. <value>Default: true.</value></summary>
    public bool AutoFailover { get; set; } = true;

    /// <summary>Move the group back to a higher-priority node when it returns. <value>Default: false (manual failback).</value></summary>
    public bool AutoFailback { get; set; }

    /// <summary>The group's resources in registration order (a list, so configuration keeps the order).</summary>
    public IList<GroupResourceOptions> Resources { get; } = new List<GroupResourceOptions>();

    /// <summary>Finds a resource's settings by name (case-insensitive).</summary>
    /// <param name="name">The resource name.</param>
    /// <returns>The settings, or <see langword="null"/>.</returns>
    public GroupResourceOptions? FindResource(string name) =>
        Resources.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
}
