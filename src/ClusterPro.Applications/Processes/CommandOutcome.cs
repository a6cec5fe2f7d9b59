using System.Globalization;
using ClusterPro.Resources;

namespace ClusterPro.Applications.Processes;

/// <summary>How a command ended.</summary>
internal enum CommandEnd
{
    /// <summary>It exited by itself (see <see cref="CommandOutcome.ExitCode"/>).</summary>
    Exited,

    /// <summary>It did not finish within its timeout; its process group was killed.</summary>
    TimedOut,

    /// <summary>It could not be started.</summary>
    NotStarted,
}

/// <summary>What running one command to its end gave.</summary>
/// <param name="Action">What the command was for (<c>start</c>, <c>stop</c> …).</param>
/// <param name="End">How it ended.</param>
/// <param name="ExitCode">Its exit code when it exited.</param>
/// <param name="Elapsed">How long it ran.</param>
/// <param name="Detail">Why it could not start, or the last lines of its output.</param>
/// <param name="Timeout">The timeout it had.</param>
internal sealed record CommandOutcome(string Action, CommandEnd End, int ExitCode, TimeSpan Elapsed, string Detail, TimeSpan Timeout)
{
    /// <summary>What it wrote to its standard output (the first 1000 lines).</summary>
    public IReadOnlyList<string> Output { get; init; } = [];

    /// <summary>Exited with code 0.</summary>
    public bool Succeeded => End == CommandEnd.Exited && ExitCode == 0;

    /// <summary>The result code of this outcome (<see cref="ApplicationResultCodes"/>).</summary>
    public int Code => End switch
    {
        CommandEnd.TimedOut => ResultCodes.Timeout,
        CommandEnd.NotStarted => ApplicationResultCodes.CommandNotStarted,
        _ => ExitCode == 0 ? ResultCodes.Success : ApplicationResultCodes.CommandFailed,
    };

    /// <summary>The outcome in the spec's style of message.</summary>
    public string Message => End switch
    {
        CommandEnd.TimedOut => string.Create(CultureInfo.InvariantCulture, $"Command was not completed within {Timeout.TotalSeconds:0.###} seconds. The {Action} command's process group was killed.{LastOutput}"),
        CommandEnd.NotStarted => $"The {Action} command could not be started: {Detail}.",
        _ => string.Create(CultureInfo.InvariantCulture, $"The {Action} command exited with code {ExitCode}{(ExitCode > 128 ? $" (signal {ExitCode - 128})" : string.Empty)}.{LastOutput}"),
    };

    /// <summary>What it did, for a result's changes.</summary>
    public string Change(string command) =>
        string.Create(CultureInfo.InvariantCulture, $"ran the {Action} command ({command}): exit {ExitCode} in {Elapsed.TotalMilliseconds:0} ms");

    private string LastOutput => End != CommandEnd.NotStarted && Detail.Length > 0 ? $" Last output: {Detail}" : string.Empty;
}
