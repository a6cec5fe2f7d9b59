using ClusterPro.Applications.DependencyInjection;

namespace ClusterPro.Applications.Custom;

/// <summary>
/// The settings of a custom monitor (configuration <c>"Type": "custom"</c>): a command whose exit code is the check —
/// 0 normal, 1 warning (code 102), anything else an error (code 2). It runs in a process group of its own that the
/// monitor's timeout kills whole.
/// </summary>
public sealed class CustomMonitorOptions : ApplicationMonitorOptions
{
    /// <summary>The command: program and arguments, e.g. <c>["/opt/app/check.sh", "--quick"]</c>. Required.</summary>
    public IList<string> Command { get; set; } = [];

    /// <summary>Run the command's one element with <c>/bin/sh -c</c>. <value>Default: false.</value></summary>
    public bool Shell { get; set; }

    /// <summary>The working directory (an absolute path). <value>Default: the node's.</value></summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Variables set for the command, on top of the node's environment. <value>Default: none.</value></summary>
    public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Variables whose values are never logged (replaced by <c>***</c> in the command's output). <value>Default: none.</value></summary>
    public IDictionary<string, string> SecretEnvironment { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The user to run the command as (the node must run as root). <value>Default: the node's user.</value></summary>
    public string? User { get; set; }
}
