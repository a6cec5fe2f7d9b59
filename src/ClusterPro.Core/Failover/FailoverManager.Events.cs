using ClusterPro.Diagnostics;

namespace ClusterPro.Failover;

/// <summary>
/// Events: every step is recorded, logged, counted and raised to subscribers in order on a background task;
/// a plug-in that throws is logged and reported, never a dead loop.
/// </summary>
public sealed partial class FailoverManager
{
    private void PluginFailed(Exception exception, string plugin)
    {
        Log.PluginFailed(_logger, exception, NodeName, plugin);
        Emit(FailoverEventKind.PluginFailed, plugin, $"{plugin} threw {exception.GetType().Name}: {exception.Message}", false);
    }

    private void Emit(FailoverEventKind kind, string subject, string detail, bool succeeded = true, TimeSpan? failoverDuration = null)
    {
        var e = new FailoverEvent(_time.GetUtcNow(), NodeName, kind, subject, detail, succeeded);
        lock (_events)
        {
            _events.Add(e);
        }

        FailoverLog.Write(_logger, e);
        if (failoverDuration is { } duration)
        {
            _metrics.FailoverDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("group", subject));
        }

        if (kind == FailoverEventKind.GroupHandedOff)
        {
            _metrics.Handoffs.Add(1, new KeyValuePair<string, object?>("outcome", succeeded ? "started" : "no-target"));
        }

        _eventQueue.Writer.TryWrite(e);
    }

    private async Task PumpEventsAsync()
    {
        await foreach (var e in _eventQueue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            FailoverEventHandlers.RaiseEach(Event, this, e, ex => Log.PluginFailed(_logger, ex, NodeName, "an Event subscriber"));
        }
    }
}
