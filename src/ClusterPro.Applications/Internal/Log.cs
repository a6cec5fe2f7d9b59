using Microsoft.Extensions.Logging;

namespace ClusterPro.Applications.Internal;

/// <summary>Log messages of ClusterPro.Applications with stable event ids (5xxx). Secret environment values never reach them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, EventName = "CommandStarted", Message = "{Owner}: {Action} command started as pid {Pid}: {Command}")]
    public static partial void CommandStarted(ILogger logger, LogLevel level, string owner, string action, int pid, string command);

    [LoggerMessage(EventId = 5001, EventName = "CommandOutput", Message = "{Owner}: {Action} pid {Pid} {Stream}: {Line}")]
    public static partial void CommandOutput(ILogger logger, LogLevel level, string owner, string action, int pid, string stream, string line);

    [LoggerMessage(EventId = 5002, EventName = "CommandExited", Message = "{Owner}: {Action} pid {Pid} exited with code {ExitCode} after {Milliseconds:0} ms.")]
    public static partial void CommandExited(ILogger logger, LogLevel level, string owner, string action, int pid, int exitCode, double milliseconds);

    [LoggerMessage(EventId = 5003, EventName = "CommandTimedOut", Level = LogLevel.Warning, Message = "{Owner}: {Action} pid {Pid} did not finish within {Seconds:0.###} s; its process group was killed.")]
    public static partial void CommandTimedOut(ILogger logger, string owner, string action, int pid, double seconds);

    [LoggerMessage(EventId = 5004, EventName = "ServiceExited", Level = LogLevel.Warning, Message = "{Owner}: the service (pid {Pid}) exited with code {ExitCode} while it should run.")]
    public static partial void ServiceExited(ILogger logger, string owner, int pid, int exitCode);

    [LoggerMessage(EventId = 5005, EventName = "ServiceKilled", Level = LogLevel.Warning, Message = "{Owner}: the service (pid {Pid}) did not stop within {Seconds:0.###} s; its process group was killed.")]
    public static partial void ServiceKilled(ILogger logger, string owner, int pid, double seconds);

    [LoggerMessage(EventId = 5006, EventName = "NoProcessGroups", Level = LogLevel.Warning, Message = "{Owner}: setsid is not at /usr/bin/setsid or /bin/setsid; commands run in the node's process group and a timeout kills the process tree instead.")]
    public static partial void NoProcessGroups(ILogger logger, string owner);

    [LoggerMessage(EventId = 5007, EventName = "UnitChanged", Level = LogLevel.Information, Message = "{Owner}: {Unit} is {State} ({Detail}).")]
    public static partial void UnitChanged(ILogger logger, string owner, string unit, string state, string detail);

    [LoggerMessage(EventId = 5008, EventName = "StopCommandFailed", Level = LogLevel.Warning, Message = "{Owner}: the stop command did not succeed ({Detail}); the service's process group is stopped by signal.")]
    public static partial void StopCommandFailed(ILogger logger, string owner, string detail);
}
