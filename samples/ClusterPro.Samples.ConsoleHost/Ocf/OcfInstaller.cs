namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// <c>clusterpro ocf install</c>: the agents as small executable scripts in the OCF resource agent directory of the
/// provider <c>clusterpro</c> (<c>ROOT/usr/lib/ocf/resource.d/clusterpro/{awsvip,awseip,awsdns}</c>), each of which
/// executes this tool (<c>clusterpro ocf &lt;agent&gt; &lt;action&gt;</c>) with the resource manager's environment.
/// </summary>
internal static class OcfInstaller
{
    /// <summary>The provider directory under a root.</summary>
    public static string ProviderDirectory(string root) => Path.Combine(root, "usr", "lib", "ocf", "resource.d", "clusterpro");

    /// <summary>Writes the three agents (replacing older ones); returns their paths.</summary>
    /// <param name="root">The file system root to install under (<c>/</c>, or a package's staging directory).</param>
    /// <param name="command">The program the agents run, with its leading arguments (the native tool; or <c>dotnet clusterpro.dll</c>).</param>
    public static IReadOnlyList<string> Install(string root, IReadOnlyList<string> command)
    {
        var directory = ProviderDirectory(root);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var agent in OcfAgentKind.AllAgents)
        {
            var path = Path.Combine(directory, agent.Name);
            var temporary = path + ".new";
            File.WriteAllText(temporary, Script(agent, command));
            if (!OperatingSystem.IsWindows())
            {
                // rwxr-xr-x: ocf-tester checks that any user may run meta-data.
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            File.Move(temporary, path, overwrite: true);
            written.Add(path);
        }

        return written;
    }

    /// <summary>
    /// The program this process is, as the agents should run it: the native tool, its apphost, or <c>dotnet</c> with the
    /// tool's assembly when it was started so.
    /// </summary>
    public static IReadOnlyList<string> ThisProgram()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is not known; give it with --binary.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, Path.Combine(AppContext.BaseDirectory, "clusterpro.dll")]
            : [process];
    }

    /// <summary>The script of one agent.</summary>
    public static string Script(OcfAgentKind agent, IReadOnlyList<string> command) => $"""
        #!/bin/sh
        # ocf:clusterpro:{agent.Name} - {agent.ShortDescription}.
        # Written by 'clusterpro ocf install': the agent is the clusterpro tool itself; its parameters come from
        # OCF_RESKEY_* (see '{agent.Name} meta-data'), and it answers with OCF exit codes.
        exec {string.Join(' ', command.Select(Quote))} ocf {agent.Name} "$@"

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
