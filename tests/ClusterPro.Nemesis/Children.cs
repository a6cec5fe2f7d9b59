using System.Collections.Concurrent;
using System.Diagnostics;

namespace ClusterPro.Nemesis;

/// <summary>
/// Every process the suite started, so that none outlives it: each run kills its own at the end, and
/// <see cref="KillAll"/> runs on Ctrl+C, SIGTERM, SIGHUP, an unhandled exception and at exit. A frozen process is killed
/// too (SIGKILL needs no SIGCONT).
/// </summary>
internal static class Children
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    /// <summary>Starts a process and tracks it.</summary>
    /// <param name="info">What to start.</param>
    /// <returns>The process.</returns>
    public static Process Start(ProcessStartInfo info)
    {
        var process = Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start.");
        Running[process.Id] = process;
        return process;
    }

    /// <summary>Kills a process (SIGKILL) if it still runs, and stops tracking it.</summary>
    /// <param name="process">The process.</param>
    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // It exited meanwhile.
        }
    }

    /// <summary>Stops tracking a process that has exited.</summary>
    /// <param name="process">The process.</param>
    public static void Forget(Process process) => Running.TryRemove(process.Id, out _);

    /// <summary>Kills every tracked process.</summary>
    public static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            Kill(process);
        }

        Running.Clear();
    }
}
