using ClusterPro.Applications.Exec;
using ClusterPro.Applications.Processes;
using ClusterPro.Monitoring;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Applications.Custom;

/// <summary>Runs the command once per check: exit 0 normal, 1 warning (102), other error (2); cannot start: error 3.</summary>
internal sealed class CustomMonitor(string name, CustomMonitorOptions options, TimeProvider time, ILogger logger) : IMonitorResource
{
    /// <summary>A bound of its own; the runner's timeout (which kills the command's process group) comes first.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromHours(1);

    public string Name { get; } = name;

    public async Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in options.Environment.Concat(options.SecretEnvironment))
        {
            environment[key] = value;
        }

        environment[ExecEnvironment.Node] = context.NodeName;
        environment[ExecEnvironment.Monitor] = Name;
        environment[ExecEnvironment.Action] = "check";
        if (!string.IsNullOrWhiteSpace(options.Resource))
        {
            environment[ExecEnvironment.Resource] = options.Resource;
        }

        var spec = new CommandSpec(Name, "check", [.. options.Command], options.Shell, options.WorkingDirectory, environment, [.. options.SecretEnvironment.Values], options.User, Quiet: true);
        var outcome = await CommandRunner.RunAsync(spec, Bound, time, logger, cancellationToken).ConfigureAwait(false);
        var output = outcome.Detail.Length > 0 ? $" Last output: {outcome.Detail}" : string.Empty;
        return outcome switch
        {
            { End: CommandEnd.Exited, ExitCode: 0 } => MonitorResult.Normal($"The command exited with code 0.{output}"),
            { End: CommandEnd.Exited, ExitCode: 1 } => MonitorResult.Warning(ApplicationResultCodes.CommandFailed, $"The command exited with code 1.{output}"),
            _ => MonitorResult.Error(outcome.Code, outcome.Message.Replace("The check command", "The command", StringComparison.Ordinal)),
        };
    }
}
