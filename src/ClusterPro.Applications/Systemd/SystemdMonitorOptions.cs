using ClusterPro.Applications.DependencyInjection;

namespace ClusterPro.Applications.Systemd;

/// <summary>
/// The settings of a systemd monitor (configuration <c>"Type": "systemd"</c>): normal while the unit is active. The unit
/// is <see cref="Unit"/>, or that of the systemd resource named by <see cref="ApplicationMonitorOptions.Resource"/>.
/// </summary>
public sealed class SystemdMonitorOptions : ApplicationMonitorOptions
{
    /// <summary>The unit, e.g. <c>nginx.service</c>. <value>Default: the unit of the systemd resource in <see cref="ApplicationMonitorOptions.Resource"/>.</value></summary>
    public string? Unit { get; set; }

    /// <summary>The <c>systemctl</c> program, as an absolute path. <value>Default: the resource's, else <c>/usr/bin/systemctl</c> or <c>/bin/systemctl</c>.</value></summary>
    public string? Systemctl { get; set; }
}
