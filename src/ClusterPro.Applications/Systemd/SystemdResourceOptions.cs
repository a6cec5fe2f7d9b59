namespace ClusterPro.Applications.Systemd;

/// <summary>
/// The settings of a systemd group resource (configuration <c>"Type": "systemd"</c>): a unit started on activation and
/// stopped on deactivation, through <c>systemctl</c>.
/// </summary>
public sealed class SystemdResourceOptions
{
    /// <summary>The unit, with its type suffix, e.g. <c>nginx.service</c>. Required.</summary>
    public string Unit { get; set; } = string.Empty;

    /// <summary>
    /// How long starting (or stopping) may take until the unit is active (or inactive): the <c>systemctl</c> job and the
    /// wait after it. <value>Default: 90 s (systemd's own default start timeout).</value>
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often the unit's state is read while it is still activating or deactivating. <value>Default: 0.5 s.</value></summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The <c>systemctl</c> program, as an absolute path (never looked up on PATH). <value>Default: <c>/usr/bin/systemctl</c>,
    /// else <c>/bin/systemctl</c>.</value>
    /// </summary>
    public string? Systemctl { get; set; }
}
