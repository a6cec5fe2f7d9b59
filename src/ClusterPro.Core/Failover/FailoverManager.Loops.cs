using System.Net;
using ClusterPro.Control;
using ClusterPro.Diagnostics;
using ClusterPro.Monitoring;

namespace ClusterPro.Failover;

/// <summary>
/// The node's loops: heartbeats on their own timer that no effect can delay, the receive loop, the decision tick and
/// the monitors; and the ordered shutdown of them all.
/// </summary>
public sealed partial class FailoverManager
{
    /// <summary>
    /// Whether the heartbeat loop is parked until its next heartbeat is due (or a claim changes). A test on a fake clock
    /// advances the clock only while this holds, so that it never outruns a heartbeat loop the machine has not run yet.
    /// </summary>
    internal bool HeartbeatParked => Volatile.Read(ref _heartbeatPause) is { IsCompleted: false };

    private async Task LeaveAsync()
    {
        // The last heartbeats say "left"; several, since any one of them may be lost.
        for (var i = 0; i < 3; i++)
        {
            await SendHeartbeatAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _left.TrySetResult();

        // A step-down or a final action stops the node on its own; a stop by the host is already waiting for this.
        _ = Task.Run(ShutDownOnceAsync);
    }

    private Task ShutDownOnceAsync()
    {
        lock (_work)
        {
            return _shutdown ??= ShutDownLoopsAsync();
        }
    }

    private async Task ShutDownLoopsAsync()
    {
        await Task.Yield();
        if (_stopping is not null)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await WhenAllQuietly(_loops).ConfigureAwait(false);
        Task[] work;
        lock (_work)
        {
            work = [.. _work];
        }

        await WhenAllQuietly(work).ConfigureAwait(false);
        lock (_sync)
        {
            foreach (var waiter in _reactivations.Values)
            {
                waiter.TrySetResult(false);
            }

            _reactivations.Clear();
        }
    }

    private static async Task WhenAllQuietly(IEnumerable<Task> tasks)
    {
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Loops log their own failures; stopping waits for them quietly.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task SendHeartbeatAsync(CancellationToken cancellationToken)
    {
        HeartbeatMessage message;
        lock (_sync)
        {
            message = _core.CreateHeartbeat(Now());
        }

        var packet = HeartbeatCodec.Encode(message, _key);
        foreach (var peer in _settings.Nodes)
        {
            if (string.Equals(peer, NodeName, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                await _transport.SendAsync(peer, packet, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A lost heartbeat is what heartbeats are for; the peer's timeout handles it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.HeartbeatSendFailed(_logger, NodeName, peer, ex.Message);
            }
        }
    }

    private Task HeartbeatLoopAsync(CancellationToken cancellationToken) => KeepRunningAsync(
        "heartbeat sender",
        async ct =>
        {
            // A claim that changes from here on wakes the loop early; the heartbeat below carries earlier changes.
            Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await SendHeartbeatAsync(ct).ConfigureAwait(false);
            var pause = Task.WhenAny(Task.Delay(_heartbeat.Interval, _time, ct), _wake.Task);
            Volatile.Write(ref _heartbeatPause, pause);
            await pause.ConfigureAwait(false);
        },
        cancellationToken,
        pause => Volatile.Write(ref _heartbeatPause, pause));

    private Task ReceiveLoopAsync(CancellationToken cancellationToken) => KeepRunningAsync(
        "heartbeat receiver",
        async ct =>
        {
            if (_transport is IControlEndpoint endpoint)
            {
                var (packet, from) = await endpoint.ReceiveFromAsync(ct).ConfigureAwait(false);
                Receive(packet.Span, from);
            }
            else
            {
                Receive((await _transport.ReceiveAsync(ct).ConfigureAwait(false)).Span, null);
            }
        },
        cancellationToken);

    private void Receive(ReadOnlySpan<byte> packet, EndPoint? from)
    {
        if (ControlCodec.IsControl(packet))
        {
            ReceiveControl(packet, from);
            return;
        }

        if (!HeartbeatCodec.TryDecode(packet, _key, out var message))
        {
            Dropped(HeartbeatRejection.Unauthenticated, from?.ToString() ?? "?");
            return;
        }

        HeartbeatRejection verdict;
        lock (_sync)
        {
            verdict = _core.Receive(Now(), message!);
        }

        if (verdict != HeartbeatRejection.None)
        {
            _metrics.HeartbeatsDropped.Add(1, new KeyValuePair<string, object?>("reason", ClusterProMetrics.Label(verdict)));
            Log.HeartbeatDropped(_logger, NodeName, verdict, message!.Node);
        }

        Dispatch();
    }

    private Task TickLoopAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(10).Ticks, Math.Min(_heartbeat.Interval.Ticks, _heartbeat.Timeout.Ticks / 4) / 2));
        return KeepRunningAsync(
            "decision loop",
            async ct =>
            {
                lock (_sync)
                {
                    _core.Tick(Now());
                }

                Dispatch();
                await Task.Delay(period, _time, ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    private Task MonitorLoopAsync(MonitorRunner monitor, CancellationToken cancellationToken) =>
        KeepRunningAsync($"monitor {monitor.Name}", monitor.RunAsync, cancellationToken);

    /// <summary>
    /// One of the node's loops: runs <paramref name="iteration"/> again and again until the node stops. A loop never
    /// dies: an exception (a plug-in's, or the transport's) is reported as a failed plug-in and the loop goes on after a
    /// heartbeat interval.
    /// </summary>
    /// <param name="what">What the loop runs, for the report.</param>
    /// <param name="iteration">One turn of the loop.</param>
    /// <param name="cancellationToken">Cancelled when the node stops.</param>
    /// <param name="paused">Told of the pause after a failure (the heartbeat loop's test hook).</param>
    private async Task KeepRunningAsync(string what, Func<CancellationToken, Task> iteration, CancellationToken cancellationToken, Action<Task>? paused = null)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await iteration(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The node's loops never die.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                PluginFailed(ex, what);
                var pause = PauseAsync(cancellationToken);
                paused?.Invoke(pause);
                await pause.ConfigureAwait(false);
            }
        }
    }

    private async Task PauseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_heartbeat.Interval, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
