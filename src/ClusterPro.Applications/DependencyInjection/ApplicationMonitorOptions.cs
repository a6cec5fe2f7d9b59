namespace ClusterPro.Applications.DependencyInjection;

/// <summary>What every application monitor's settings have: the resource it watches.</summary>
public abstract class ApplicationMonitorOptions
{
    /// <summary>
    /// The group resource the monitor watches (configuration <c>"Resource"</c>). When set, and the monitor's common settings
    /// name no <c>TargetResource</c> of their own, the monitor runs while that resource is active on the node
    /// (<c>Timing</c> <c>WhileActive</c>) and its recovery reactivates it (<c>Recovery:Target</c>), as an AWS resource's
    /// monitor does. <value>Default: none (required by the <c>process</c> monitor).</value>
    /// </summary>
    public string? Resource { get; set; }
}
