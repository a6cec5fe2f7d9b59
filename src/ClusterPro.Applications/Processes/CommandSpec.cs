namespace ClusterPro.Applications.Processes;

/// <summary>One command to run: its argument list (or a shell script), where, with what environment and as whom.</summary>
/// <param name="Owner">The resource or monitor it belongs to (for the log).</param>
/// <param name="Action">What it is for (<c>start</c>, <c>stop</c>, <c>service</c>, <c>check</c>, <c>systemctl</c>), for the log and messages.</param>
/// <param name="Arguments">The program and its arguments; with <paramref name="Shell"/>, the script as the one element.</param>
/// <param name="Shell">Run the one element with <c>/bin/sh -c</c>.</param>
/// <param name="WorkingDirectory">The working directory, or null for the node's.</param>
/// <param name="Environment">Variables set for the command (on top of the node's own environment).</param>
/// <param name="Secrets">Values never written to the log (replaced by <c>***</c> in its output).</param>
/// <param name="User">The user to run as (needs the node to run as root), or null for the node's user.</param>
/// <param name="Quiet">Log the command, its output and its exit at debug level only (a monitor's frequent reads).</param>
internal sealed record CommandSpec(
    string Owner,
    string Action,
    IReadOnlyList<string> Arguments,
    bool Shell,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Secrets,
    string? User,
    bool Quiet = false)
{
    /// <summary>The command as the log shows it: arguments quoted where they hold spaces (no environment values).</summary>
    public string Display =>
        Shell ? $"/bin/sh -c {Quote(Arguments.Count > 0 ? Arguments[0] : string.Empty)}" : string.Join(' ', Arguments.Select(Quote));

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
