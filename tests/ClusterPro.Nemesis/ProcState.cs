namespace ClusterPro.Nemesis;

/// <summary>What a node's process is doing, as the nemesis knows it.</summary>
internal enum ProcState
{
    /// <summary>Not started yet.</summary>
    NotStarted,

    /// <summary>Started, not yet running as a node (no "is running" line yet).</summary>
    Starting,

    /// <summary>Running as a node.</summary>
    Running,

    /// <summary>Frozen by SIGSTOP.</summary>
    Paused,

    /// <summary>Killed with SIGKILL by the nemesis.</summary>
    Killed,

    /// <summary>Killed because its instance was stopped (a power-off).</summary>
    PoweredOff,

    /// <summary>Exited on its own.</summary>
    Exited,
}
