using ClusterPro.Failover;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Diagnostics;

/// <summary>Log messages of ClusterPro.Core with stable event ids (1xxx groups, 2xxx monitors, 3xxx failover manager; 31xx one per failover event kind; 4xxx the hosted node).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, EventName = "GroupOperationStarting", Level = LogLevel.Information, Message = "{Operation} group {Group} on {Node}.")]
    public static partial void GroupOperationStarting(ILogger logger, GroupOperation operation, string group, string node);

    [LoggerMessage(EventId = 1001, EventName = "GroupOperationFinished", Level = LogLevel.Information, Message = "{Summary}")]
    public static partial void GroupOperationFinished(ILogger logger, GroupOperationResult summary);

    [LoggerMessage(EventId = 1002, EventName = "ResourceSucceeded", Level = LogLevel.Information, Message = "{Operation} {Resource} on {Node} succeeded ({Changes} changes).")]
    public static partial void ResourceSucceeded(ILogger logger, GroupOperation operation, string resource, string node, int changes);

    [LoggerMessage(EventId = 1003, EventName = "ResourceFailed", Level = LogLevel.Error, Message = "{Operation} {Resource} resource on {Node} has failed.({Code} : {Message})")]
    public static partial void ResourceFailed(ILogger logger, GroupOperation operation, string resource, string node, int code, string message);

    [LoggerMessage(EventId = 1004, EventName = "ResourceRetry", Level = LogLevel.Warning, Message = "{Operation} {Resource} failed (attempt {Attempt}, retry threshold {Threshold}): {Code} : {Message}. Retrying.")]
    public static partial void ResourceRetry(ILogger logger, GroupOperation operation, string resource, int attempt, int threshold, int code, string message);

    [LoggerMessage(EventId = 1005, EventName = "ResourceThrew", Level = LogLevel.Error, Message = "{Operation} {Resource} threw an exception.")]
    public static partial void ResourceThrew(ILogger logger, Exception exception, GroupOperation operation, string resource);

    [LoggerMessage(EventId = 1007, EventName = "ResourceAbandoned", Level = LogLevel.Critical, Message = "{Operation} {Resource} did not stop within {Seconds} s of being cancelled; it is abandoned and may still change things.")]
    public static partial void ResourceAbandoned(ILogger logger, GroupOperation operation, string resource, double seconds);

    [LoggerMessage(EventId = 1006, EventName = "GroupFinalAction", Level = LogLevel.Critical, Message = "Group {Group}: thresholds of {Resource} used up; final action {Action}. {Reason}")]
    public static partial void GroupFinalAction(ILogger logger, string group, string resource, FinalAction action, string reason);

    [LoggerMessage(EventId = 2000, EventName = "MonitorError", Level = LogLevel.Error, Message = "Detected an error in monitoring {Monitor}. ({Code} : {Message})")]
    public static partial void MonitorError(ILogger logger, string monitor, int code, string message);

    [LoggerMessage(EventId = 2001, EventName = "MonitorWarning", Level = LogLevel.Warning, Message = "Warn monitoring {Monitor}. ({Code} : {Message})")]
    public static partial void MonitorWarning(ILogger logger, string monitor, int code, string message);

    [LoggerMessage(EventId = 2002, EventName = "MonitorRetry", Level = LogLevel.Information, Message = "Monitor {Monitor} failed {Failures} time(s) in a row (retry count {RetryCount}): {Code} : {Message}.")]
    public static partial void MonitorRetry(ILogger logger, string monitor, int failures, int retryCount, int code, string message);

    [LoggerMessage(EventId = 2003, EventName = "MonitorThrew", Level = LogLevel.Error, Message = "Monitor {Monitor} threw an exception.")]
    public static partial void MonitorThrew(ILogger logger, Exception exception, string monitor);

    [LoggerMessage(EventId = 2004, EventName = "RecoveryStepStarting", Level = LogLevel.Warning, Message = "Monitor {Monitor}: recovery step {Step} on {Target} after error {Code} : {Message}.")]
    public static partial void RecoveryStepStarting(ILogger logger, string monitor, RecoveryStep step, string target, int code, string message);

    [LoggerMessage(EventId = 2005, EventName = "RecoveryStepFailed", Level = LogLevel.Error, Message = "Monitor {Monitor}: recovery step {Step} on {Target} failed.")]
    public static partial void RecoveryStepFailed(ILogger logger, Exception? exception, string monitor, RecoveryStep step, string target);

    [LoggerMessage(EventId = 2006, EventName = "RecoverySkipped", Level = LogLevel.Information, Message = "Monitor {Monitor}: recovery skipped, target {Target} is not active on this node.")]
    public static partial void RecoverySkipped(ILogger logger, string monitor, string target);

    [LoggerMessage(EventId = 2007, EventName = "FinalActionSuppressed", Level = LogLevel.Warning, Message = "Monitor {Monitor}: final action {Action} suppressed because no other node is running normally.")]
    public static partial void FinalActionSuppressed(ILogger logger, string monitor, FinalAction action);

    [LoggerMessage(EventId = 2009, EventName = "MonitorInconclusive", Level = LogLevel.Information, Message = "Monitor {Monitor}: nothing could be concluded ({Message}); counters unchanged.")]
    public static partial void MonitorInconclusive(ILogger logger, string monitor, string message);

    [LoggerMessage(EventId = 2010, EventName = "SubscriberThrew", Level = LogLevel.Error, Message = "{Source}: a {Event} subscriber threw; it was skipped.")]
    public static partial void SubscriberThrew(ILogger logger, Exception exception, string source, string @event);

    [LoggerMessage(EventId = 2008, EventName = "RecoveryExhausted", Level = LogLevel.Warning, Message = "Monitor {Monitor}: every recovery step is used up; waiting for the monitor to return to normal.")]
    public static partial void RecoveryExhausted(ILogger logger, string monitor);

    [LoggerMessage(EventId = 3002, EventName = "HeartbeatDropped", Level = LogLevel.Warning, Message = "{Node}: dropped a heartbeat ({Reason}) claiming to be from {Peer}.")]
    public static partial void HeartbeatDropped(ILogger logger, string node, HeartbeatRejection reason, string peer);

    [LoggerMessage(EventId = 3005, EventName = "PluginFailed", Level = LogLevel.Error, Message = "{Node}: {Plugin} threw; the node carries on (a failed probe, fence or action is a failed result).")]
    public static partial void PluginFailed(ILogger logger, Exception exception, string node, string plugin);

    [LoggerMessage(EventId = 3006, EventName = "HeartbeatSendFailed", Level = LogLevel.Debug, Message = "{Node}: a heartbeat to {Peer} was not sent: {Reason}")]
    public static partial void HeartbeatSendFailed(ILogger logger, string node, string peer, string reason);

    [LoggerMessage(EventId = 3007, EventName = "StopTimedOut", Level = LogLevel.Error, Message = "{Node}: its groups were not released within {Seconds} s of the stop; cancelling what is still running (peers take over after the heartbeat timeout).")]
    public static partial void StopTimedOut(ILogger logger, string node, double seconds);

    [LoggerMessage(EventId = 3008, EventName = "SplitBrainRisk", Level = LogLevel.Warning, Message = "{Node}: {Detail}")]
    public static partial void SplitBrainRisk(ILogger logger, string node, string detail);

    [LoggerMessage(EventId = 3009, EventName = "ControlCommand", Level = LogLevel.Information, Message = "{Node}: operator command {Command} from {From}: {Accepted}: {Outcome}")]
    public static partial void ControlCommand(ILogger logger, string node, ClusterPro.Control.ControlCommand command, string from, bool accepted, string outcome);

    [LoggerMessage(EventId = 3010, EventName = "OperatorStateNotSaved", Level = LogLevel.Error, Message = "{Node}: the operator's settings (standby, maintenance) could not be kept in {File}: {Reason}; they hold until the process stops. Check ClusterPro:Failover:StateDirectory.")]
    public static partial void OperatorStateNotSaved(ILogger logger, string node, string file, string reason);

    [LoggerMessage(EventId = 3011, EventName = "OperatorStateNotRead", Level = LogLevel.Error, Message = "{Node}: the operator's settings of the last run could not be read from {File}: {Reason}; the node starts off standby and learns maintenance from its peers.")]
    public static partial void OperatorStateNotRead(ILogger logger, string node, string file, string reason);

    [LoggerMessage(EventId = 3000, EventName = "FinalActionNotHandled", Level = LogLevel.Critical, Message = "Final action {Action} requested by {Source} on {Node}, but the host registered no IFinalActionHandler; nothing was done. {Reason}")]
    public static partial void FinalActionNotHandled(ILogger logger, FinalAction action, string source, string node, string reason);

    [LoggerMessage(EventId = 4000, EventName = "NodeStarted", Level = LogLevel.Information, Message = "{Node} is running (groups {Groups}); SIGTERM, SIGINT or Ctrl+C stop it in order: its groups move to the next node at once.")]
    public static partial void NodeStarted(ILogger logger, string node, string groups);

    [LoggerMessage(EventId = 4001, EventName = "NodeResolved", Level = LogLevel.Information, Message = "This process runs node {Node}: {How}.")]
    public static partial void NodeResolved(ILogger logger, string node, string how);

    [LoggerMessage(EventId = 4002, EventName = "PlannedStopStarting", Level = LogLevel.Information, Message = "{Node}: planned stop: releasing {Groups} in order and telling the peers (at most {Seconds} s, ClusterPro:Failover:StopTimeout).")]
    public static partial void PlannedStopStarting(ILogger logger, string node, string groups, double seconds);

    [LoggerMessage(EventId = 4003, EventName = "PlannedStopCompleted", Level = LogLevel.Information, Message = "{Node}: planned stop done in {Milliseconds} ms: it left the cluster holding nothing; the peers took over without waiting or fencing.")]
    public static partial void PlannedStopCompleted(ILogger logger, string node, long milliseconds);

    [LoggerMessage(EventId = 4004, EventName = "PlannedStopIncomplete", Level = LogLevel.Error, Message = "{Node}: left the cluster still holding {Groups} (a release failed or timed out); peers fence this node before taking them over.")]
    public static partial void PlannedStopIncomplete(ILogger logger, string node, string groups);

    [LoggerMessage(EventId = 4005, EventName = "PlannedStopCut", Level = LogLevel.Error, Message = "{Node}: the host's shutdown timeout (HostOptions.ShutdownTimeout) ended the planned stop after {Milliseconds} ms; the node stops where it stands and peers take over after the heartbeat timeout. Make the host's shutdown timeout longer than ClusterPro:Failover:StopTimeout ({Seconds} s).")]
    public static partial void PlannedStopCut(ILogger logger, string node, long milliseconds, double seconds);

    [LoggerMessage(EventId = 4006, EventName = "NodeLeftOnItsOwn", Level = LogLevel.Warning, Message = "{Node}: the failover manager left the cluster on its own ({Reason}); it holds nothing, and the host stops: start the process again to rejoin.")]
    public static partial void NodeLeftOnItsOwn(ILogger logger, string node, string reason);
}
