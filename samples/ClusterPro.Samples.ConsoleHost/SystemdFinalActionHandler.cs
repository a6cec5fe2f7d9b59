using ClusterPro.Failover;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>run</c>'s final actions. The node has already left the cluster in order when a node-wide final action reaches the
/// host (its groups released to the next node, its peers told); then <c>StopClusterServiceAndShutdownOs</c> powers the
/// machine off and <c>StopClusterServiceAndRebootOs</c> reboots it, through systemd-logind (<see cref="IOsPower"/>);
/// <c>StopClusterService</c> needs nothing more (the process exits 3, which the unit does not restart). When the OS cannot
/// be asked (no systemd, polkit refused), one Critical line says that it was not shut down, and why.
/// </summary>
internal sealed partial class SystemdFinalActionHandler(IOsPower power, ILogger<SystemdFinalActionHandler> logger) : IFinalActionHandler
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(25);

    public async Task ExecuteAsync(FinalActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reboot = request.Action == FinalAction.StopClusterServiceAndRebootOs;
        if (request.Action is not (FinalAction.StopClusterServiceAndShutdownOs or FinalAction.StopClusterServiceAndRebootOs))
        {
            LogServiceStopped(logger, request.Action, request.Source, request.Reason);
            return;
        }

        var what = reboot ? "rebooting" : "powering off";
        LogPowering(logger, request.Action, request.Source, what, power.Via, request.Reason);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            await (reboot ? power.RebootAsync(timeout.Token) : power.PowerOffAsync(timeout.Token));
        }
#pragma warning disable CA1031 // The OS could not be asked: said in one line; the node has left the cluster either way.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            LogNotDone(logger, request.Action, power.Via, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    [LoggerMessage(EventId = 5001, EventName = "FinalActionServiceStopped", Level = LogLevel.Warning, Message = "Final action {Action} from {Source}: the cluster service stopped on this node (the OS is left running). {Reason}")]
    private static partial void LogServiceStopped(ILogger logger, FinalAction action, string source, string reason);

    [LoggerMessage(EventId = 5002, EventName = "FinalActionPowering", Level = LogLevel.Critical, Message = "Final action {Action} from {Source}: the cluster service stopped; {What} the OS through {Via}. {Reason}")]
    private static partial void LogPowering(ILogger logger, FinalAction action, string source, string what, string via, string reason);

    [LoggerMessage(EventId = 5003, EventName = "FinalActionNotDone", Level = LogLevel.Critical, Message = "Final action {Action}: the OS was NOT shut down or rebooted ({Via} failed: {Error}); the cluster service has stopped. Fix: run the node under systemd with the shipped polkit rule (or as root), or choose StopClusterService.")]
    private static partial void LogNotDone(ILogger logger, FinalAction action, string via, string error);
}
