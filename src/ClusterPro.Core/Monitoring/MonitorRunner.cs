using System.Diagnostics.Metrics;
using ClusterPro.Diagnostics;
using ClusterPro.Failover;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Monitoring;

/// <summary>What one monitor cycle saw and did.</summary>
/// <param name="MonitorName">The monitor.</param>
/// <param name="Timestamp">When the cycle ended (from the runner's <see cref="TimeProvider"/>).</param>
/// <param name="Monitored">False when the cycle was skipped because the gating resource is not active.</param>
/// <param name="Check">The check's own result (or the synthesized timeout / exception result).</param>
/// <param name="TimedOut">Whether the check exceeded the monitor timeout.</param>
/// <param name="ConsecutiveFailures">Failures counted toward the retry count after this cycle (0 once an error is declared).</param>
/// <param name="Reported">The status the monitor now shows (an error pending retry keeps the previous one).</param>
/// <param name="Recovery">The recovery step taken.</param>
public sealed record MonitorCycleResult(
    string MonitorName,
    DateTimeOffset Timestamp,
    bool Monitored,
    MonitorResult Check,
    bool TimedOut,
    int ConsecutiveFailures,
    MonitorResult Reported,
    RecoveryStep Recovery)
{
    /// <summary>Whether the cycle was skipped because checks are paused (<see cref="MonitorRunner.Suspended"/>, maintenance).</summary>
    public bool Suspended { get; init; }
}

/// <summary>
/// Runs one monitor: start wait, interval, timeout, retry count, while-active gating and the recovery
/// ladder (reactivate → failover → final action). Exceptions and timeouts inside a check become results;
/// the caller's cancellation propagates. All timing goes through the injected <see cref="TimeProvider"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "SemaphoreSlim holds no unmanaged handle unless AvailableWaitHandle is used, which it never is here.")]
public sealed class MonitorRunner
{
    private readonly IMonitorResource _monitor;
    private readonly MonitorOptions _options;
    private readonly IRecoveryActions _actions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClusterProMetrics _metrics;
    private readonly RecoveryEscalation _escalation;
    private readonly MonitorContext _context;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private TaskCompletionSource _activated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _activatedAt;
    private int _consecutiveFailures;
    private Task? _pause;
    private long _parks;
    private bool _suspended;

    /// <summary>Creates a runner. Hosts get one from <see cref="DependencyInjection.ClusterProFactory.CreateMonitorRunner"/>,
    /// which takes the monitor, its options and the services from the container.</summary>
    /// <param name="monitor">The monitor.</param>
    /// <param name="options">Its common settings and recovery action.</param>
    /// <param name="nodeName">The node this runner runs on.</param>
    /// <param name="actions">Carries out recovery steps.</param>
    /// <param name="timeProvider">Time source; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Logging; none when <see langword="null"/>.</param>
    /// <param name="meterFactory">Metrics; a shared <c>ClusterPro</c> meter when <see langword="null"/>.</param>
    internal MonitorRunner(
        IMonitorResource monitor,
        MonitorOptions options,
        string nodeName,
        IRecoveryActions actions,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(nodeName);
        ArgumentNullException.ThrowIfNull(actions);
        _monitor = monitor;
        _options = options;
        _actions = actions;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MonitorRunner>();
        _metrics = ClusterProMetrics.Get(meterFactory);
        _escalation = new RecoveryEscalation(options.Recovery);
        _context = new MonitorContext(nodeName, monitor.Name);
        Current = MonitorResult.Normal("Not checked yet.");
    }

    /// <summary>The monitor's settings.</summary>
    internal MonitorOptions Options => _options;

    /// <summary>The monitor's name.</summary>
    public string Name => _monitor.Name;

    /// <summary>The status the monitor shows now.</summary>
    public MonitorResult Current { get; private set; }

    /// <summary>The recovery ladder's counters.</summary>
    public RecoveryEscalation Escalation => _escalation;

    /// <summary>Failures counted toward the retry count so far (0 once an error is declared, or after a normal check).</summary>
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>The last error a check returned (declared or pending retry), or <see langword="null"/> since the start or the last <see cref="ResetAsync"/>.</summary>
    public MonitorResult? LastError { get; private set; }

    /// <summary>When <see cref="LastError"/> was seen (from the runner's <see cref="TimeProvider"/>).</summary>
    public DateTimeOffset? LastErrorAt { get; private set; }

    /// <summary>
    /// Whether checks are paused (maintenance): a cycle then checks nothing, counts nothing and recovers nothing, and the
    /// monitor keeps showing what it last saw. Safe from any thread; takes effect at the next cycle.
    /// </summary>
    public bool Suspended
    {
        get => Volatile.Read(ref _suspended);
        set => Volatile.Write(ref _suspended, value);
    }

    /// <summary>
    /// Clears the failure count, the recovery ladder and the last error (an operator's cleanup), after the cycle that
    /// may be running ends; the next check starts the ladder afresh.
    /// </summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>A task that ends once cleared.</returns>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _consecutiveFailures = 0;
            _escalation.Reset();
            LastError = null;
            LastErrorAt = null;
            if (Current.Status != MonitorStatus.Normal)
            {
                Current = MonitorResult.Normal("Cleared by an operator; checked again at the next interval.");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Raised after every cycle.</summary>
    public event EventHandler<MonitorCycleResult>? CycleCompleted;

    /// <summary>
    /// Whether <see cref="RunAsync"/> is parked on its clock: waiting for its start delay, its next interval or its
    /// target's activation, with the timer already set. From the moment the wait ends until the loop waits again, it
    /// is not. Tests advance a fake clock only while the runner is parked, so the clock never outruns the loop.
    /// </summary>
    internal bool Parked => Volatile.Read(ref _pause) is { IsCompleted: false };

    /// <summary>How many times <see cref="RunAsync"/> has parked: a count above an earlier reading means the loop has
    /// moved on to a new wait (a notification that ends a wait completes it on another thread).</summary>
    internal long Parks => Interlocked.Read(ref _parks);

    /// <summary>
    /// Runs until cancelled. An <see cref="MonitorTiming.Always"/> monitor waits its start delay, then checks once per
    /// interval. A <see cref="MonitorTiming.WhileActive"/> monitor waits until its target resource is active on this
    /// node, then waits its start delay (counted from the activation) and checks once per interval for as long as the
    /// target stays active; when the target goes, it waits for the next activation. The activation is noticed at once
    /// when the owner of the resource calls <see cref="NotifyResourceActivated"/> (the failover manager does), else
    /// within an interval.
    /// </summary>
    /// <param name="cancellationToken">Stops the runner; the returned task is then cancelled.</param>
    /// <returns>A task that ends when cancelled.</returns>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Timing != MonitorTiming.WhileActive)
        {
            await DelayAsync(_options.StartDelay, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                await RunCycleAsync(cancellationToken).ConfigureAwait(false);
                await Park(Task.Delay(_options.Interval, _time, cancellationToken)).ConfigureAwait(false);
            }
        }

        var reportIdle = true;
        while (true)
        {
            await WaitForTargetAsync(reportIdle, cancellationToken).ConfigureAwait(false);

            // The start delay counts from the activation when it was notified, else from now.
            var activatedAt = Interlocked.Exchange(ref _activatedAt, 0);
            var since = activatedAt == 0 ? TimeSpan.Zero : _time.GetElapsedTime(activatedAt);
            await DelayAsync(_options.StartDelay - since, cancellationToken).ConfigureAwait(false);
            while ((await RunCycleAsync(cancellationToken).ConfigureAwait(false)) is { Monitored: true } or { Suspended: true })
            {
                await Park(Task.Delay(_options.Interval, _time, cancellationToken)).ConfigureAwait(false);
            }

            // The cycle that found the target gone has already reported it.
            reportIdle = false;
        }
    }

    /// <summary>
    /// Tells the runner that <paramref name="resourceName"/> became active on this node: a
    /// <see cref="MonitorTiming.WhileActive"/> monitor of that resource that is waiting for it starts now (after its start
    /// delay) rather than at its next interval. Any other call is ignored; safe from any thread.
    /// </summary>
    /// <param name="resourceName">The resource that became active.</param>
    public void NotifyResourceActivated(string resourceName)
    {
        if (_options.Timing == MonitorTiming.WhileActive && string.Equals(_options.TargetResource, resourceName, StringComparison.OrdinalIgnoreCase))
        {
            Volatile.Write(ref _activatedAt, _time.GetTimestamp());
            Interlocked.Exchange(ref _activated, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private async Task WaitForTargetAsync(bool reportIdle, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Taken before the look at the target: an activation after the look completes this very signal.
            var activated = Volatile.Read(ref _activated).Task;
            if (IsTargetActive())
            {
                return;
            }

            if (reportIdle)
            {
                await ReportIdleAsync(cancellationToken).ConfigureAwait(false);
                reportIdle = false;
            }

            // Woken by the notification, or looks again after an interval (a host that never notifies).
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var interval = Task.Delay(_options.Interval, _time, wait.Token);
            await Park(Task.WhenAny(activated, interval)).ConfigureAwait(false);
            await wait.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task ReportIdleAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        MonitorCycleResult cycle;
        try
        {
            cycle = Idle();
        }
        finally
        {
            _gate.Release();
        }

        RaiseCycleCompleted(cycle);
    }

    private bool IsTargetActive() => _options.TargetResource is not null && _actions.IsResourceActive(_options.TargetResource);

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay > TimeSpan.Zero ? Park(Task.Delay(delay, _time, cancellationToken)) : Task.CompletedTask;

    /// <summary>Records the wait the loop is about to await (its timer is already set), for <see cref="Parked"/>.</summary>
    private T Park<T>(T pause)
        where T : Task
    {
        Volatile.Write(ref _pause, pause);
        Interlocked.Increment(ref _parks);
        return pause;
    }

    /// <summary>Runs one cycle: check (bounded by the timeout), retry accounting, and at most one recovery step.</summary>
    /// <param name="cancellationToken">The caller's cancellation; it propagates.</param>
    /// <returns>What the cycle saw and did.</returns>
    public async Task<MonitorCycleResult> RunCycleAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var cycle = await RunCycleCoreAsync(cancellationToken).ConfigureAwait(false);
            RaiseCycleCompleted(cycle);
            return cycle;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<MonitorCycleResult> RunCycleCoreAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Suspended)
        {
            return new MonitorCycleResult(Name, _time.GetUtcNow(), false, MonitorResult.Normal("Not monitored: the cluster is in maintenance."), false, _consecutiveFailures, Current, RecoveryStep.None) { Suspended = true };
        }

        if (_options.Timing == MonitorTiming.WhileActive && !IsTargetActive())
        {
            return Idle();
        }

        var (check, timedOut) = await CheckAsync(cancellationToken).ConfigureAwait(false);
        if (check.Status == MonitorStatus.Error)
        {
            LastError = check;
            LastErrorAt = _time.GetUtcNow();
        }

        _metrics.MonitorChecks.Add(1, new("monitor", Name), new("status", ClusterProMetrics.Label(check.Status)));
        if (check.Status == MonitorStatus.Unknown)
        {
            // Nothing concluded: counters stay, so an outage does not reset a ladder that real drift was climbing.
            Log.MonitorInconclusive(_logger, Name, check.Message);
            return Finish(true, check, timedOut, check, RecoveryStep.None);
        }

        if (check.Status != MonitorStatus.Error)
        {
            _consecutiveFailures = 0;
            if (check.Status == MonitorStatus.Normal)
            {
                _escalation.Reset();
            }
            else
            {
                Log.MonitorWarning(_logger, Name, check.Code, check.Message);
            }

            return Finish(true, check, timedOut, check, RecoveryStep.None);
        }

        var declareNow = timedOut && !_options.RetryOnTimeout;
        if (!declareNow)
        {
            _consecutiveFailures++;
            if (_consecutiveFailures <= _options.RetryCount)
            {
                Log.MonitorRetry(_logger, Name, _consecutiveFailures, _options.RetryCount, check.Code, check.Message);
                return Finish(true, check, timedOut, Current, RecoveryStep.None);
            }
        }

        _consecutiveFailures = 0;
        if (timedOut && !_options.RecoverOnTimeout)
        {
            var warning = check.AsWarning();
            Log.MonitorWarning(_logger, Name, warning.Code, warning.Message);
            return Finish(true, check, timedOut, warning, RecoveryStep.None);
        }

        Log.MonitorError(_logger, Name, check.Code, check.Message);
        var step = await RecoverAsync(check, cancellationToken).ConfigureAwait(false);
        return Finish(true, check, timedOut, check, step);
    }

    private MonitorCycleResult Idle()
    {
        _consecutiveFailures = 0;
        var idle = MonitorResult.Normal("Not monitored: the target resource is not active on this node.");
        return Finish(false, idle, false, idle, RecoveryStep.None);
    }

    private MonitorCycleResult Finish(bool monitored, MonitorResult check, bool timedOut, MonitorResult reported, RecoveryStep step)
    {
        Current = reported;
        return new MonitorCycleResult(Name, _time.GetUtcNow(), monitored, check, timedOut, _consecutiveFailures, reported, step);
    }

    private async Task<(MonitorResult Result, bool TimedOut)> CheckAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var result = await _monitor.CheckAsync(_context, linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
            return (result ?? MonitorResult.Error(ResultCodes.UnexpectedException, "The monitor returned no result."), false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (_monitor.CreateTimeoutResult(_options.Timeout), true);
        }
#pragma warning disable CA1031 // A monitor's exception is a result, by contract.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.MonitorThrew(_logger, ex, Name);
            return (MonitorResult.Error(ResultCodes.UnexpectedException, $"The monitor failed: {ex.GetType().Name}: {ex.Message}"), false);
        }
    }

    private RecoveryTarget ResolveTarget()
    {
        var recovery = _options.Recovery;
        return recovery.TargetKind == RecoveryTargetKind.LocalServer
            ? new RecoveryTarget(RecoveryTargetKind.LocalServer, "LocalServer")
            : new RecoveryTarget(recovery.TargetKind, recovery.Target ?? _options.TargetResource ?? string.Empty);
    }

    private async Task<RecoveryStep> RecoverAsync(MonitorResult error, CancellationToken cancellationToken)
    {
        var target = ResolveTarget();
        if (target.Kind != RecoveryTargetKind.LocalServer && !_actions.IsActive(target))
        {
            Log.RecoverySkipped(_logger, Name, target.Name);
            Record(RecoveryStep.SkippedTargetInactive);
            return RecoveryStep.SkippedTargetInactive;
        }

        var step = _escalation.Next();
        var finalAction = _options.Recovery.FinalAction;
        if (step == RecoveryStep.FinalAction && (finalAction == FinalAction.None || finalAction == FinalAction.NoneContinue))
        {
            step = RecoveryStep.Exhausted;
        }

        if (step == RecoveryStep.FinalAction && !_actions.IsAnyOtherNodeHealthy)
        {
            Log.FinalActionSuppressed(_logger, Name, finalAction);
            Record(RecoveryStep.FinalActionSuppressed);
            return RecoveryStep.FinalActionSuppressed;
        }

        if (step == RecoveryStep.Exhausted)
        {
            Log.RecoveryExhausted(_logger, Name);
            return step;
        }

        Log.RecoveryStepStarting(_logger, Name, step, target.Name, error.Code, error.Message);
        Record(step);
        try
        {
            await _actions.BeforeRecoveryStepAsync(Name, step, target, cancellationToken).ConfigureAwait(false);
            switch (step)
            {
                case RecoveryStep.Reactivate:
                    var reactivated = await _actions.ReactivateAsync(target, cancellationToken).ConfigureAwait(false);
                    if (!reactivated)
                    {
                        Log.RecoveryStepFailed(_logger, null, Name, step, target.Name);
                    }

                    break;
                case RecoveryStep.Failover:
                    var moved = await _actions.RequestFailoverAsync(target, cancellationToken).ConfigureAwait(false);
                    if (!moved)
                    {
                        Log.RecoveryStepFailed(_logger, null, Name, step, target.Name);
                    }

                    break;
                default:
                    var group = target.Kind == RecoveryTargetKind.Group ? target.Name : null;
                    await _actions.ExecuteFinalActionAsync(
                        new FinalActionRequest(finalAction, Name, _context.NodeName, group, $"Detected an error in monitoring {Name}. ({error.Code} : {error.Message})"),
                        cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed recovery step is logged and reported, never thrown into the loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RecoveryStepFailed(_logger, ex, Name, step, target.Name);
        }

        return step;
    }

    private void RaiseCycleCompleted(MonitorCycleResult cycle)
    {
        var handlers = CycleCompleted;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<MonitorCycleResult>>())
        {
            try
            {
                handler(this, cycle);
            }
#pragma warning disable CA1031 // A subscriber never stops a monitor.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.SubscriberThrew(_logger, ex, Name, nameof(CycleCompleted));
            }
        }
    }

    private void Record(RecoveryStep step) =>
        _metrics.RecoverySteps.Add(1, new("monitor", Name), new("step", ClusterProMetrics.Label(step)));
}
