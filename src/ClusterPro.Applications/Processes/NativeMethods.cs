using System.Runtime.InteropServices;

namespace ClusterPro.Applications.Processes;

/// <summary>The one libc call .NET does not offer: a signal to a whole process group.</summary>
internal static partial class NativeMethods
{
    /// <summary>SIGTERM.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary>kill(2): a negative <paramref name="pid"/> signals the process group <c>-pid</c>.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static partial int Kill(int pid, int signal);
}
