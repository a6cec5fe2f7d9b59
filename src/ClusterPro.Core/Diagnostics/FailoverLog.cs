using ClusterPro.Failover;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Diagnostics;

/// <summary>
/// One log line per failover event: event id 3100 + the event kind (so each kind has its own id and name), and a level
/// chosen by the outcome — a failed fence is an error, a step-down critical, a routine step information.
/// </summary>
internal static class FailoverLog
{
    private const int BaseId = 3100;
    private static readonly Action<ILogger, string, string, string, Exception?>[][] Writers = Build();

    public static void Write(ILogger logger, FailoverEvent e)
    {
        if (logger.IsEnabled(Level(e.Kind, e.Succeeded)))
        {
            Writers[(int)e.Kind][e.Succeeded ? 1 : 0](logger, e.Node, e.Subject, e.Detail, null);
        }
    }

    /// <summary>The level of an event by its kind and outcome.</summary>
    public static LogLevel Level(FailoverEventKind kind, bool succeeded) => (kind, succeeded) switch
    {
        (FailoverEventKind.ResourceActivated or FailoverEventKind.ResourceDeactivated, _) => LogLevel.Debug,
        (FailoverEventKind.SteppedDown or FailoverEventKind.FinalAction, _) => LogLevel.Critical,
        (FailoverEventKind.HeartbeatLost or FailoverEventKind.GroupConflict or FailoverEventKind.Stopped or FailoverEventKind.LeaseLost, _) => LogLevel.Warning,
        (FailoverEventKind.PluginFailed, _) => LogLevel.Error,
        (FailoverEventKind.GroupHandedOff, false) => LogLevel.Warning,
        (_, false) => LogLevel.Error,
        _ => LogLevel.Information,
    };

    private static Action<ILogger, string, string, string, Exception?>[][] Build()
    {
        var kinds = Enum.GetValues<FailoverEventKind>();
        var writers = new Action<ILogger, string, string, string, Exception?>[kinds.Max(k => (int)k) + 1][];
        foreach (var kind in kinds)
        {
            var id = new EventId(BaseId + (int)kind, $"Failover{kind}");
            writers[(int)kind] =
            [
                LoggerMessage.Define<string, string, string>(Level(kind, false), id, $"{{Node}}: {kind} {{Subject}}: {{Detail}}", new LogDefineOptions { SkipEnabledCheck = true }),
                LoggerMessage.Define<string, string, string>(Level(kind, true), id, $"{{Node}}: {kind} {{Subject}}: {{Detail}}", new LogDefineOptions { SkipEnabledCheck = true }),
            ];
        }

        return writers;
    }
}
