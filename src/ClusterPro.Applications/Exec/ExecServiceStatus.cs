namespace ClusterPro.Applications.Exec;

/// <summary>What the process monitor reads of an exec service on one node.</summary>
/// <param name="Running">Whether the service process runs.</param>
/// <param name="Pid">Its process ID, when it was started on the node.</param>
/// <param name="ExitCode">Its exit code, when it exited while it should have run.</param>
internal sealed record ExecServiceStatus(bool Running, int? Pid, int? ExitCode);
