namespace ClusterPro.Applications.Exec;

/// <summary>
/// The settings of an exec group resource (configuration <c>"Type": "exec"</c>): the commands that start and stop the
/// application, as argument lists run without a shell unless <see cref="Shell"/> asks for one.
/// </summary>
public sealed class ExecResourceOptions
{
    /// <summary>
    /// The start command: the program (its full path, or a name found on the node's PATH) and its arguments, e.g.
    /// <c>["/usr/bin/python3", "-m", "http.server", "18080"]</c>. With <see cref="ExecMode.Service"/> it is the service
    /// itself. Required.
    /// </summary>
    public IList<string> Start { get; set; } = [];

    /// <summary>
    /// The stop command, e.g. <c>["/bin/sh", "/opt/app/stop.sh"]</c>. <value>Default: none — a one-shot resource then has
    /// nothing to undo; a service is sent SIGTERM (its whole process group).</value> A service's process group is killed
    /// once the stop command has run and the service has not ended within <see cref="StopTimeout"/>.
    /// </summary>
    public IList<string> Stop { get; set; } = [];

    /// <summary>One-shot or service. <value>Default: <see cref="ExecMode.Oneshot"/>.</value></summary>
    public ExecMode Mode { get; set; } = ExecMode.Oneshot;

    /// <summary>
    /// Run <see cref="Start"/> and <see cref="Stop"/> each as one <c>/bin/sh -c</c> script (each then holds exactly one
    /// string). <value>Default: false — the argument lists run as they are, no shell expands them.</value>
    /// </summary>
    public bool Shell { get; set; }

    /// <summary>The working directory of the commands (an absolute path). <value>Default: the node's.</value></summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>
    /// Variables set for the commands, on top of the node's environment and the <see cref="ExecEnvironment"/> ones
    /// (which they may not replace). Their values are logged where a command's output shows them. <value>Default: none.</value>
    /// </summary>
    public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Variables set like <see cref="Environment"/> whose values are never logged: ClusterPro does not write them, and
    /// replaces them by <c>***</c> in the commands' output before logging it. <value>Default: none.</value>
    /// </summary>
    public IDictionary<string, string> SecretEnvironment { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The user to run the commands as (the node must run as root). <value>Default: the node's user.</value></summary>
    public string? User { get; set; }

    /// <summary>
    /// How long a command may run before its process group is killed (code 1); the default of <see cref="StartTimeout"/>
    /// and <see cref="StopTimeout"/>. <value>Default: 30 s.</value> Keep it shorter than the resource's
    /// <c>ActivationTimeout</c> / <c>DeactivationTimeout</c> in the group (6 min).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the start command may run (one-shot). <value>Default: <see cref="Timeout"/>.</value></summary>
    public TimeSpan? StartTimeout { get; set; }

    /// <summary>How long the stop command may run, and a service may take to end after it (or after SIGTERM). <value>Default: <see cref="Timeout"/>.</value></summary>
    public TimeSpan? StopTimeout { get; set; }

    /// <summary>
    /// A service that exits within this time after it started fails the activation (code 4) instead of succeeding and
    /// being found dead by its monitor later. <value>Default: 0.5 s.</value> Zero: the activation succeeds once the process started.
    /// </summary>
    public TimeSpan StartupGrace { get; set; } = TimeSpan.FromMilliseconds(500);

    internal TimeSpan EffectiveStartTimeout => StartTimeout ?? Timeout;

    internal TimeSpan EffectiveStopTimeout => StopTimeout ?? Timeout;
}
