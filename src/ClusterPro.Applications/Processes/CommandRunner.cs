using ClusterPro.Applications.Internal;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Applications.Processes;

/// <summary>Runs a command to its end, bounded by a timeout that kills its whole process group.</summary>
internal static class CommandRunner
{
    /// <summary>How long a killed command is waited for to end.</summary>
    internal static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>How long the output of a command that exited is read on, for its last lines.</summary>
    internal static readonly TimeSpan OutputWait = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Runs <paramref name="spec"/> until it exits, or until <paramref name="timeout"/> (the process group is then
    /// killed and the outcome is <see cref="CommandEnd.TimedOut"/>). The caller's cancellation kills it too, then throws.
    /// </summary>
    public static async Task<CommandOutcome> RunAsync(CommandSpec spec, TimeSpan timeout, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RunningProcess process;
        try
        {
            process = RunningProcess.Start(spec, time, logger);
        }
        catch (CommandStartException ex)
        {
            return new CommandOutcome(spec.Action, CommandEnd.NotStarted, -1, TimeSpan.Zero, ex.Message, timeout);
        }

        using (process)
        {
            using var timer = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            try
            {
                var code = await process.Exited.WaitAsync(linked.Token).ConfigureAwait(false);
                await process.DrainAsync(OutputWait).ConfigureAwait(false);
                return new CommandOutcome(spec.Action, CommandEnd.Exited, code, process.Elapsed, process.Tail(), timeout) { Output = process.Output };
            }
            catch (OperationCanceledException)
            {
                await process.KillAsync(KillWait).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                await process.DrainAsync(OutputWait).ConfigureAwait(false);
                Log.CommandTimedOut(logger, spec.Owner, spec.Action, process.Pid, timeout.TotalSeconds);
                return new CommandOutcome(spec.Action, CommandEnd.TimedOut, -1, process.Elapsed, process.Tail(), timeout);
            }
        }
    }
}
