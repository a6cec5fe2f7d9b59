using System.CommandLine;

namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// <c>clusterpro ocf</c>: <c>install [--root DIR] [--binary PATH]</c>, and the agents themselves
/// (<c>clusterpro ocf awsvip start</c>). An agent's command line is OCF's, not the tool's: the action is its only
/// argument and anything after it is ignored, so <see cref="TryAgent"/> runs it before the tool's command line is built.
/// </summary>
internal static class OcfCommand
{
    /// <summary>The agent invocation in <paramref name="args"/> (<c>ocf &lt;agent&gt; [action] …</c>), or null for any other command line.</summary>
    public static (OcfAgentKind Agent, string? Action)? TryAgent(string[] args) =>
        args.Length >= 2 && args[0] == "ocf" && OcfAgentKind.Find(args[1]) is { } agent ? (agent, args.Length > 2 ? args[2] : null) : null;

    /// <summary>The <c>ocf</c> command and its subcommands.</summary>
    public static Command Create(TextWriter output, TextWriter error)
    {
        var ocf = new Command("ocf", "Pacemaker's OCF resource agents backed by ClusterPro: ocf:clusterpro:awsvip, awseip and awsdns (install them with 'ocf install'; Pacemaker runs them).");

        var install = new Command("install", $"Write the agents to ROOT/usr/lib/ocf/resource.d/clusterpro/{{{string.Join(',', OcfAgentKind.AllAgents.Select(a => a.Name))}}}: scripts that run this program (exit 0; 1 when they cannot be written).");
        var root = new Option<string>("--root") { Description = "The file system root to install under (a package's staging directory).", HelpName = "DIR", DefaultValueFactory = _ => "/" };
        var binary = new Option<string>("--binary") { Description = "The clusterpro program the agents run (an absolute path); without it, this program: install from the native build so that the agents run it.", HelpName = "PATH" };
        install.Options.Add(root);
        install.Options.Add(binary);
        install.SetAction(p =>
        {
            var program = p.GetValue(binary) is { } path
                ? Path.IsPathFullyQualified(path) && File.Exists(path) ? [path] : throw new UsageException($"--binary {path}: give the absolute path of an existing clusterpro program.")
                : OcfInstaller.ThisProgram();
            try
            {
                foreach (var written in OcfInstaller.Install(p.GetRequiredValue(root), program))
                {
                    output.WriteLine(written);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"ocf install: {ex.Message} (installing under / needs root; --root DIR installs elsewhere).");
                return 1;
            }

            return 0;
        });
        ocf.Subcommands.Add(install);

        foreach (var agent in OcfAgentKind.AllAgents)
        {
            var command = new Command(agent.Name, $"{agent.ShortDescription}. The OCF agent: ACTION is one of {OcfAgent.Actions}; parameters come from OCF_RESKEY_* (see meta-data); the exit code is OCF's.");
            var action = new Argument<string[]>("ACTION") { Arity = ArgumentArity.ZeroOrMore, Description = OcfAgent.Actions };
            command.Arguments.Add(action);
            command.SetAction((p, _) => OcfAgent.RunAsync(agent, p.GetValue(action) is [var first, ..] ? first : null, OcfEnvironment.Process, output, error));
            ocf.Subcommands.Add(command);
        }

        return ocf;
    }
}
