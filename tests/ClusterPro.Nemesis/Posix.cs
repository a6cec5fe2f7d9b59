using System.Runtime.InteropServices;

namespace ClusterPro.Nemesis;

/// <summary>The signals the nemesis sends to node processes: SIGSTOP freezes a process as a stalled VM would, SIGCONT wakes it.</summary>
internal static class Posix
{
    /// <summary>SIGCONT on Linux.</summary>
    public const int SigCont = 18;

    /// <summary>SIGSTOP on Linux.</summary>
    public const int SigStop = 19;

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/>.</summary>
    /// <param name="pid">The process.</param>
    /// <param name="signal">The signal number.</param>
    /// <returns>Whether the signal was delivered (false when the process is gone).</returns>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}
