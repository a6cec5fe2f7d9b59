using System.Net;
using System.Text.Json;
using ClusterPro.Control;
using ClusterPro.Diagnostics;
using ClusterPro.Monitoring;

namespace ClusterPro.Failover;

/// <summary>
/// The control channel: an operator's requests (status, move, standby, maintenance, cleanup) arrive on the heartbeat port,
/// authenticated by the cluster's heartbeat key like heartbeats, and become inputs of the core; the answer goes back to
/// the sender. Requests are idempotent by id, and a request whose clock differs by more than the heartbeat's maximum
/// clock skew is dropped, so that a captured one cannot be replayed. The operator's settings (standby, maintenance) are
/// kept in <see cref="FailoverManagerOptions.StateDirectory"/>, so that a restart keeps them.
/// </summary>
public sealed partial class FailoverManager
{
    /// <summary>How many of the last events a report carries.</summary>
    private const int ReportedEvents = 50;

    private readonly Dictionary<string, (DateTimeOffset At, Task<ControlResponse> Answer)> _answered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<ControlResponse>> _asked = new(StringComparer.Ordinal);
    private DateTimeOffset _startedAt;

    /// <summary>
    /// Answers an operator's request: the control channel calls it for every authenticated request; a host in the same
    /// process (a web view, a health endpoint) may call it directly. The same <see cref="ControlRequest.Id"/> gets the
    /// same answer, and acts once.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancellation of the wait (the command itself is not undone).</param>
    /// <returns>The answer.</returns>
    public Task<ControlResponse> HandleControlAsync(ControlRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Task<ControlResponse> answer;
        lock (_answered)
        {
            var now = _time.GetUtcNow();
            if (_answered.Count > 256)
            {
                foreach (var old in _answered.Where(a => now - a.Value.At > 2 * _heartbeat.MaxClockSkew).Select(a => a.Key).ToList())
                {
                    _answered.Remove(old);
                }
            }

            if (request.Command == ControlCommand.Status)
            {
                answer = Task.FromResult(new ControlResponse(request.Id, NodeName, true, $"{NodeName} reports.") { Report = GetReport() });
            }
            else if (_answered.TryGetValue(request.Id, out var earlier))
            {
                answer = earlier.Answer;
            }
            else
            {
                answer = AnswerAsync(request);
                _answered[request.Id] = (now, answer);
            }
        }

        return answer.WaitAsync(cancellationToken);
    }

    /// <summary>What this node reports now: its view, its monitors and its last events.</summary>
    /// <returns>The report.</returns>
    public NodeReport GetReport()
    {
        ClusterView view;
        lock (_sync)
        {
            view = _core.GetView();
        }

        List<FailoverEvent> events;
        lock (_events)
        {
            events = _events.Skip(Math.Max(0, _events.Count - ReportedEvents)).ToList();
        }

        return new NodeReport(view, _monitors.Select(MonitorReport.From).ToList(), events, _time.GetUtcNow(), _startedAt);
    }

    /// <summary>Asks a peer over the heartbeat channel (a web view shows the peers' reports through its own node).</summary>
    /// <param name="peer">The peer.</param>
    /// <param name="request">The request.</param>
    /// <param name="budget">How long to wait for the answer (the request is sent again every heartbeat interval meanwhile).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The answer, or <see langword="null"/> when none came within the budget.</returns>
    public async Task<ControlResponse?> AskPeerAsync(string peer, ControlRequest request, TimeSpan budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var waiter = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_asked)
        {
            _asked[request.Id] = waiter;
        }

        try
        {
            var packet = ControlCodec.Encode(request with { From = NodeName }, _key);
            using var deadline = new CancellationTokenSource(budget, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            while (!waiter.Task.IsCompleted)
            {
                await _transport.SendAsync(peer, packet, linked.Token).ConfigureAwait(false);
                await Task.WhenAny(waiter.Task, Task.Delay(_heartbeat.Interval, _time, linked.Token)).ConfigureAwait(false);
            }

            return await waiter.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            lock (_asked)
            {
                _asked.Remove(request.Id);
            }
        }
    }

    private async Task<ControlResponse> AnswerAsync(ControlRequest request)
    {
        OperatorOutcome outcome;
        switch (request.Command)
        {
            case ControlCommand.Move when string.IsNullOrWhiteSpace(request.Group):
                outcome = new(false, "A move names the group to move.");
                break;
            case ControlCommand.Move:
                outcome = Decide(now => _core.MoveByOperator(now, request.Group!, request.Target));
                break;
            case ControlCommand.Standby:
                outcome = Decide(now => _core.SetStandby(now, request.On, request.Force));
                break;
            case ControlCommand.Maintenance:
                outcome = Decide(now => _core.SetMaintenance(now, request.On));
                break;
            case ControlCommand.Cleanup:
                outcome = Decide(now => _core.Cleanup(now, request.Group));
                if (outcome.Accepted)
                {
                    var monitors = _monitors.Where(m => request.Group is null || Watches(m, request.Group)).ToList();
                    foreach (var monitor in monitors)
                    {
                        await monitor.ResetAsync(Stopping).ConfigureAwait(false);
                    }

                    outcome = outcome with { Message = $"{outcome.Message}; {monitors.Count} monitor(s) cleared{(monitors.Count == 0 ? string.Empty : ": " + string.Join(", ", monitors.Select(m => m.Name)))}" };
                }

                break;
            default:
                outcome = new(false, $"{request.Command} is not a command this node knows.");
                break;
        }

        Log.ControlCommand(_logger, NodeName, request.Command, request.From ?? "?", outcome.Accepted, outcome.Message);
        return new ControlResponse(request.Id, NodeName, outcome.Accepted, outcome.Message);
    }

    private OperatorOutcome Decide(Func<CoreTime, OperatorOutcome> command)
    {
        OperatorOutcome outcome;
        lock (_sync)
        {
            outcome = command(Now());
        }

        Dispatch();
        return outcome;
    }

    /// <summary>Whether a monitor watches (or recovers) <paramref name="group"/> or one of its resources.</summary>
    private bool Watches(MonitorRunner monitor, string group)
    {
        if (!_groups.TryGetValue(group, out var g))
        {
            return false;
        }

        var o = monitor.Options;
        return (o.TargetResource is { } resource && g.Contains(resource))
            || (o.Recovery.Target is { } target && (string.Equals(target, group, StringComparison.OrdinalIgnoreCase) || g.Contains(target)));
    }

    /// <summary>A control packet arrived on the heartbeat port.</summary>
    private void ReceiveControl(ReadOnlySpan<byte> packet, EndPoint? from)
    {
        if (!ControlCodec.TryDecode(packet, _key, out var envelope))
        {
            Dropped(HeartbeatRejection.Unauthenticated, from?.ToString() ?? "?");
            return;
        }

        if (envelope!.Response is { } response)
        {
            lock (_asked)
            {
                if (_asked.TryGetValue(response.Id, out var waiter))
                {
                    waiter.TrySetResult(response);
                }
            }

            return;
        }

        var request = envelope.Request!;
        if (Math.Abs(_time.GetUtcNow().ToUnixTimeMilliseconds() - request.SentAtMs) > _heartbeat.MaxClockSkew.TotalMilliseconds)
        {
            Dropped(HeartbeatRejection.ClockSkew, request.From ?? from?.ToString() ?? "?");
            return;
        }

        Run(async () =>
        {
            var answer = await HandleControlAsync(request, Stopping).ConfigureAwait(false);
            var reply = EncodeFitting(answer);
            if (from is not null && _transport is IControlEndpoint endpoint)
            {
                await endpoint.ReplyAsync(from, reply, Stopping).ConfigureAwait(false);
            }
            else if (request.From is { } node && _settings.Nodes.Contains(node, StringComparer.OrdinalIgnoreCase))
            {
                await _transport.SendAsync(node, reply, Stopping).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Encodes an answer into one datagram, leaving out the oldest events of a report that would not fit.</summary>
    private byte[] EncodeFitting(ControlResponse answer)
    {
        var packet = ControlCodec.Encode(answer, _key);
        while (packet.Length > ControlCodec.MaxPacket && answer.Report is { Events.Count: > 0 } report)
        {
            answer = answer with { Report = report with { Events = report.Events.Skip((report.Events.Count + 1) / 2).ToList() } };
            packet = ControlCodec.Encode(answer, _key);
        }

        return packet;
    }

    private void Dropped(HeartbeatRejection verdict, string sender)
    {
        lock (_sync)
        {
            _core.Dropped[verdict] = _core.Dropped.GetValueOrDefault(verdict) + 1;
        }

        _metrics.HeartbeatsDropped.Add(1, new KeyValuePair<string, object?>("reason", ClusterProMetrics.Label(verdict)));
        Log.HeartbeatDropped(_logger, NodeName, verdict, sender);
    }

    /// <summary>Pauses or resumes the monitors with the cluster's maintenance, and keeps the operator's settings.</summary>
    private void OperatorStateChanged(OperatorStateEffect state)
    {
        foreach (var monitor in _monitors)
        {
            monitor.Suspended = state.Maintenance;
        }

        if (StateFile() is not { } file)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var temporary = file + ".tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(new OperatorState(state.Standby, state.Maintenance, state.MaintenanceVersion), OperatorStateJson.Default.OperatorState));
            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.OperatorStateNotSaved(_logger, NodeName, file, ex.Message);
        }
    }

    /// <summary>Takes back the operator's settings of the last run, if they were kept.</summary>
    private void RestoreOperatorState()
    {
        if (StateFile() is not { } file || !File.Exists(file))
        {
            return;
        }

        try
        {
            if (JsonSerializer.Deserialize(File.ReadAllText(file), OperatorStateJson.Default.OperatorState) is { } state)
            {
                _core.RestoreOperatorState(state.Standby, state.Maintenance, state.MaintenanceVersion);
                foreach (var monitor in _monitors)
                {
                    monitor.Suspended = state.Maintenance;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            Log.OperatorStateNotRead(_logger, NodeName, file, ex.Message);
        }
    }

    private string? StateFile() =>
        string.IsNullOrWhiteSpace(_options.StateDirectory) ? null : Path.Combine(_options.StateDirectory, $"{NodeName}.state.json");
}
