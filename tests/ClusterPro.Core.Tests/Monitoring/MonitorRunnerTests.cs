using System.Collections.Concurrent;
using ClusterPro.Failover;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using ClusterPro.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Core.Tests.Monitoring;

public class MonitorRunnerTests
{
    private static readonly MonitorResult RouteChanged = MonitorResult.Error(56, "The routing for VIP 10.1.0.20 was changed.");
    private readonly FakeTimeProvider _time = new();
    private readonly RecordingRecoveryActions _actions = new();
    private readonly ScriptedMonitor _monitor = new("awsvipw1");

    private MonitorRunner Runner(Action<MonitorOptions>? configure = null)
    {
        var options = new MonitorOptions { RetryCount = 0, Recovery = { Target = "awsvip1" } };
        configure?.Invoke(options);
        return new MonitorRunner(_monitor, options, "node1", _actions, _time);
    }

    private static async Task<List<MonitorCycleResult>> Cycles(MonitorRunner runner, int count)
    {
        var results = new List<MonitorCycleResult>();
        for (var i = 0; i < count; i++)
        {
            results.Add(await runner.RunCycleAsync());
        }

        return results;
    }

    [Fact]
    public async Task RunCycleAsync_Normal_ReportsNormalAndRecoversNothing()
    {
        var cycle = await Runner().RunCycleAsync();

        cycle.Reported.Status.Should().Be(MonitorStatus.Normal);
        cycle.Recovery.Should().Be(RecoveryStep.None);
        _actions.Steps.Should().BeEmpty();
    }

    [Fact]
    public async Task RunCycleAsync_DefaultLadder_ReactivatesThreeTimes_FailsOverOnce_ThenFinalActionNoneDoesNothing()
    {
        _monitor.Default = _ => Task.FromResult(RouteChanged);
        var runner = Runner();

        var steps = (await Cycles(runner, 6)).Select(c => c.Recovery);

        steps.Should().Equal(
            RecoveryStep.Reactivate, RecoveryStep.Reactivate, RecoveryStep.Reactivate,
            RecoveryStep.Failover, RecoveryStep.Exhausted, RecoveryStep.Exhausted);
        _actions.Steps.Should().Equal("reactivate awsvip1", "reactivate awsvip1", "reactivate awsvip1", "failover awsvip1");
        _actions.FinalActions.Should().BeEmpty();
        runner.Current.Code.Should().Be(56);
    }

    [Fact]
    public async Task RunCycleAsync_AnOutageBetweenErrors_NeitherResetsNorClimbsTheLadder()
    {
        // Drift, then AWS gives no answer (Silent: Unknown), then drift again: the ladder goes on where it was.
        var noAnswer = MonitorResult.Unknown("The AWS API gave no answer.");
        _monitor.Then(RouteChanged).Then(noAnswer, 3).Then(RouteChanged).Then(RouteChanged).Then(RouteChanged);
        var runner = Runner(o => o.Recovery.ReactivationThreshold = 2);

        var cycles = await Cycles(runner, 7);

        cycles.Select(c => c.Recovery).Should().Equal(
            RecoveryStep.Reactivate, RecoveryStep.None, RecoveryStep.None, RecoveryStep.None,
            RecoveryStep.Reactivate, RecoveryStep.Failover, RecoveryStep.Exhausted);
        cycles[2].Reported.Status.Should().Be(MonitorStatus.Unknown, "nothing is known while AWS gives no answer");
        runner.Escalation.Failovers.Should().Be(1);
    }

    [Fact]
    public async Task RunCycleAsync_ThrowingCycleCompletedSubscriber_DoesNotStopTheMonitor()
    {
        _monitor.Default = _ => Task.FromResult(RouteChanged);
        var runner = Runner();
        var seen = 0;
        runner.CycleCompleted += (_, _) => throw new InvalidOperationException("a subscriber's bug");
        runner.CycleCompleted += (_, _) => seen++;

        var cycles = await Cycles(runner, 2);

        cycles.Select(c => c.Recovery).Should().Equal(RecoveryStep.Reactivate, RecoveryStep.Reactivate);
        seen.Should().Be(2);
    }

    [Fact]
    public async Task RunCycleAsync_FinalActionConfigured_TakenOnceAfterBothThresholds()
    {
        _monitor.Default = _ => Task.FromResult(RouteChanged);
        var runner = Runner(o => { o.Recovery.ReactivationThreshold = 1; o.Recovery.FailoverThreshold = 1; o.Recovery.FinalAction = FinalAction.StopClusterServiceAndRebootOs; });

        var steps = (await Cycles(runner, 4)).Select(c => c.Recovery);

        steps.Should().Equal(RecoveryStep.Reactivate, RecoveryStep.Failover, RecoveryStep.FinalAction, RecoveryStep.Exhausted);
        _actions.FinalActions.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Action = FinalAction.StopClusterServiceAndRebootOs,
            Source = "awsvipw1",
            NodeName = "node1",
            Reason = "Detected an error in monitoring awsvipw1. (56 : The routing for VIP 10.1.0.20 was changed.)",
        });
    }

    [Fact]
    public async Task RunCycleAsync_NoOtherHealthyNode_SuppressesTheFinalAction()
    {
        _monitor.Default = _ => Task.FromResult(RouteChanged);
        _actions.IsAnyOtherNodeHealthy = false;
        var runner = Runner(o => { o.Recovery.ReactivationThreshold = 0; o.Recovery.FailoverThreshold = 0; o.Recovery.FinalAction = FinalAction.StopClusterServiceAndShutdownOs; });

        var cycle = await runner.RunCycleAsync();

        cycle.Recovery.Should().Be(RecoveryStep.FinalActionSuppressed);
        _actions.FinalActions.Should().BeEmpty();
    }

    [Fact]
    public async Task RunCycleAsync_RetryCount_DeclaresTheErrorOnFailureRetryCountPlusOne()
    {
        _monitor.Default = _ => Task.FromResult(RouteChanged);
        var runner = Runner(o => o.RetryCount = 2);

        var cycles = await Cycles(runner, 3);

        cycles.Select(c => c.Recovery).Should().Equal(RecoveryStep.None, RecoveryStep.None, RecoveryStep.Reactivate);
        cycles[0].ConsecutiveFailures.Should().Be(1);
        cycles[1].ConsecutiveFailures.Should().Be(2);
        cycles[1].Reported.Status.Should().Be(MonitorStatus.Normal, "an error pending retry keeps the previous status");
        cycles[2].Reported.Should().Be(RouteChanged);
    }

    [Fact]
    public async Task RunCycleAsync_NormalBetweenFailures_ResetsTheRetryCount()
    {
        _monitor.Then(RouteChanged).Then(MonitorResult.Normal()).Then(RouteChanged).Then(RouteChanged);
        var runner = Runner(o => o.RetryCount = 1);

        var steps = (await Cycles(runner, 4)).Select(c => c.Recovery);

        steps.Should().Equal(RecoveryStep.None, RecoveryStep.None, RecoveryStep.None, RecoveryStep.Reactivate);
    }

    [Fact]
    public async Task RunCycleAsync_MonitorBackToNormal_ResetsTheLadder()
    {
        _monitor.Then(RouteChanged, 3).Then(MonitorResult.Normal()).Then(RouteChanged);
        var runner = Runner();

        var steps = (await Cycles(runner, 5)).Select(c => c.Recovery);

        steps.Should().Equal(RecoveryStep.Reactivate, RecoveryStep.Reactivate, RecoveryStep.Reactivate, RecoveryStep.None, RecoveryStep.Reactivate);
        runner.Escalation.Reactivations.Should().Be(1);
        runner.Escalation.Failovers.Should().Be(0);
    }

    [Fact]
    public async Task RunCycleAsync_WarningDoesNotRecover_AndKeepsItsCode()
    {
        _monitor.Then(MonitorResult.Warning(5, "Invalid availability zone: [ap-northeast-1z]"));

        var cycle = await Runner().RunCycleAsync();

        cycle.Reported.Should().Be(new MonitorResult(MonitorStatus.Warning, 105, "Invalid availability zone: [ap-northeast-1z]"));
        cycle.Recovery.Should().Be(RecoveryStep.None);
        _actions.Steps.Should().BeEmpty();
    }

    [Fact]
    public async Task RunCycleAsync_TargetNotActive_SkipsRecoveryWithoutUsingTheLadder()
    {
        _monitor.Default = _ => Task.FromResult(RouteChanged);
        _actions.TargetActive = false;

        var cycle = await Runner().RunCycleAsync();

        cycle.Recovery.Should().Be(RecoveryStep.SkippedTargetInactive);
        _actions.Steps.Should().BeEmpty();
        cycle.Reported.Code.Should().Be(56);
    }

    [Fact]
    public async Task RunCycleAsync_WhileActiveAndTargetInactive_DoesNotCheck()
    {
        _actions.TargetActive = false;
        var runner = Runner(o => { o.Timing = MonitorTiming.WhileActive; o.TargetResource = "awsvip1"; });

        var cycle = await runner.RunCycleAsync();

        cycle.Monitored.Should().BeFalse();
        _monitor.Calls.Should().Be(0);
    }

    [Fact]
    public async Task RunCycleAsync_WhileActiveAndTargetActive_Checks()
    {
        var runner = Runner(o => { o.Timing = MonitorTiming.WhileActive; o.TargetResource = "awsvip1"; });

        var cycle = await runner.RunCycleAsync();

        cycle.Monitored.Should().BeTrue();
        _monitor.Calls.Should().Be(1);
    }

    [Fact]
    public async Task RunCycleAsync_TimeoutWithDefaults_IsAWarningAtOnce_WithoutRetryOrRecovery()
    {
        _monitor.ThenHang();
        var runner = Runner(o => { o.RetryCount = 3; o.Timeout = TimeSpan.FromSeconds(100); });

        var task = runner.RunCycleAsync();
        _time.Advance(TimeSpan.FromSeconds(100));
        var cycle = await task;

        cycle.TimedOut.Should().BeTrue();
        cycle.Reported.Should().Be(new MonitorResult(MonitorStatus.Warning, 106, "Timeout occurred."));
        cycle.Recovery.Should().Be(RecoveryStep.None);
        _actions.Steps.Should().BeEmpty();
    }

    [Fact]
    public async Task RunCycleAsync_TimeoutWithRecoverOnTimeout_Recovers()
    {
        _monitor.ThenHang();
        var runner = Runner(o => { o.RecoverOnTimeout = true; o.Timeout = TimeSpan.FromSeconds(10); });

        var task = runner.RunCycleAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        var cycle = await task;

        cycle.Reported.Should().Be(MonitorResult.Error(6, "Timeout occurred."));
        cycle.Recovery.Should().Be(RecoveryStep.Reactivate);
    }

    [Fact]
    public async Task RunCycleAsync_TimeoutWithRetryOnTimeout_CountsTowardTheRetryCount()
    {
        _monitor.ThenHang();
        var runner = Runner(o => { o.RetryOnTimeout = true; o.RetryCount = 1; o.Timeout = TimeSpan.FromSeconds(10); });

        var task = runner.RunCycleAsync();
        _time.Advance(TimeSpan.FromSeconds(10));
        var cycle = await task;

        cycle.TimedOut.Should().BeTrue();
        cycle.ConsecutiveFailures.Should().Be(1);
        cycle.Reported.Status.Should().Be(MonitorStatus.Normal);
    }

    [Fact]
    public async Task RunCycleAsync_CheckThrows_BecomesAnErrorResult()
    {
        _monitor.ThenThrow(new HttpRequestException("connection refused"));

        var cycle = await Runner().RunCycleAsync();

        cycle.Check.Code.Should().Be(ResultCodes.UnexpectedException);
        cycle.Check.Message.Should().Contain("connection refused");
        cycle.Recovery.Should().Be(RecoveryStep.Reactivate);
    }

    [Fact]
    public async Task RunCycleAsync_CallerCancels_Propagates()
    {
        _monitor.ThenHang();
        using var cts = new CancellationTokenSource();
        var task = Runner().RunCycleAsync(cts.Token);

        await cts.CancelAsync();

        await task.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        _actions.Steps.Should().BeEmpty();
    }

    [Fact]
    public async Task RunCycleAsync_LocalServerTarget_GoesStraightToTheFinalAction()
    {
        _monitor.Default = _ => Task.FromResult(MonitorResult.Error(5, "Invalid availability zone: [ap-northeast-1a]"));
        var runner = Runner(o => { o.Recovery.TargetKind = RecoveryTargetKind.LocalServer; o.Recovery.FinalAction = FinalAction.StopClusterService; });

        var cycle = await runner.RunCycleAsync();

        cycle.Recovery.Should().Be(RecoveryStep.FinalAction);
        _actions.Steps.Should().Equal("final StopClusterService");
    }

    [Fact]
    public async Task RunAsync_WaitsTheStartDelay_ThenChecksEveryInterval()
    {
        var runner = Runner(o => { o.StartDelay = TimeSpan.FromSeconds(30); o.Interval = TimeSpan.FromSeconds(60); });
        var cycles = new ConcurrentQueue<MonitorCycleResult>();
        var seen = new SemaphoreSlim(0);
        runner.CycleCompleted += (_, c) => { cycles.Enqueue(c); seen.Release(); };
        using var cts = new CancellationTokenSource();
        var run = runner.RunAsync(cts.Token);

        Parked(runner);
        _time.Advance(TimeSpan.FromSeconds(29));
        Parked(runner);
        cycles.Should().BeEmpty("the start delay has not passed");
        _time.Advance(TimeSpan.FromSeconds(1));
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        Parked(runner);
        _time.Advance(TimeSpan.FromSeconds(59));
        Parked(runner);
        cycles.Should().HaveCount(1, "the interval has not passed");
        _time.Advance(TimeSpan.FromSeconds(1));
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();

        await cts.CancelAsync();
        await run.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        var all = cycles.ToArray();
        all.Should().HaveCount(2);
        all[1].Timestamp.Should().Be(all[0].Timestamp + TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task RunAsync_WhileActive_ChecksAsSoonAsTheTargetActivates_AfterItsStartDelay()
    {
        _actions.TargetActive = false;
        var runner = Runner(o => { o.Timing = MonitorTiming.WhileActive; o.TargetResource = "awsvip1"; o.StartDelay = TimeSpan.FromSeconds(5); o.Interval = TimeSpan.FromSeconds(60); });
        var cycles = new ConcurrentQueue<MonitorCycleResult>();
        var seen = new SemaphoreSlim(0);
        runner.CycleCompleted += (_, c) => { cycles.Enqueue(c); seen.Release(); };
        using var cts = new CancellationTokenSource();
        var run = runner.RunAsync(cts.Token);
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the monitor reports at once that it is not monitoring");
        cycles.Single().Monitored.Should().BeFalse();

        Parked(runner);
        _time.Advance(TimeSpan.FromSeconds(10));
        _actions.TargetActive = true;
        var parks = MonitorRunnerTestHooks.Parks(runner);
        runner.NotifyResourceActivated("awsvip1");
        Parked(runner, parks);
        _time.Advance(TimeSpan.FromSeconds(4));
        Parked(runner);
        cycles.Should().HaveCount(1, "the start delay counts from the activation");
        _time.Advance(TimeSpan.FromSeconds(1));
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the first check comes with the start delay, not a whole interval later");
        Parked(runner);
        cycles.Should().HaveCount(2, "the next check waits for the interval");
        _time.Advance(TimeSpan.FromSeconds(60));
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();

        await cts.CancelAsync();
        await run.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        var all = cycles.ToArray();
        all.Skip(1).Should().OnlyContain(c => c.Monitored).And.HaveCount(2);
        _monitor.Calls.Should().Be(2);
        all[2].Timestamp.Should().Be(all[1].Timestamp + TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task RunAsync_WhileActive_TargetGoesAndComesBack_WaitsForIt_AndCountsTheStartDelayFromTheNewActivation()
    {
        var runner = Runner(o => { o.Timing = MonitorTiming.WhileActive; o.TargetResource = "awsvip1"; o.StartDelay = TimeSpan.FromSeconds(5); o.Interval = TimeSpan.FromSeconds(60); });
        var cycles = new ConcurrentQueue<MonitorCycleResult>();
        var seen = new SemaphoreSlim(0);
        runner.CycleCompleted += (_, c) => { cycles.Enqueue(c); seen.Release(); };
        using var cts = new CancellationTokenSource();
        var run = runner.RunAsync(cts.Token);
        Parked(runner);
        _time.Advance(TimeSpan.FromSeconds(5));
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();

        Parked(runner);
        _actions.TargetActive = false;
        cycles.Should().HaveCount(1);
        _time.Advance(TimeSpan.FromSeconds(60));
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("the next cycle finds the target gone");
        for (var i = 0; i < 2; i++)
        {
            var parks = MonitorRunnerTestHooks.Parks(runner);
            Parked(runner);
            _time.Advance(TimeSpan.FromSeconds(60));
            Parked(runner, parks);
        }

        cycles.Should().HaveCount(2, "nothing is reported while the target stays inactive");
        _actions.TargetActive = true;
        var activationParks = MonitorRunnerTestHooks.Parks(runner);
        runner.NotifyResourceActivated("AWSVIP1");
        Parked(runner, activationParks);
        _time.Advance(TimeSpan.FromSeconds(5));
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();

        await cts.CancelAsync();
        await run.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        cycles.Select(c => c.Monitored).Should().Equal(true, false, true);
        _monitor.Calls.Should().Be(2);
    }

    [Fact]
    public async Task RunAsync_WhileActive_WithoutANotification_NoticesTheActivationWithinAnInterval()
    {
        _actions.TargetActive = false;
        var runner = Runner(o => { o.Timing = MonitorTiming.WhileActive; o.TargetResource = "awsvip1"; o.Interval = TimeSpan.FromSeconds(60); });
        var count = 0;
        var seen = new SemaphoreSlim(0);
        runner.CycleCompleted += (_, _) => { Interlocked.Increment(ref count); seen.Release(); };
        using var cts = new CancellationTokenSource();
        var run = runner.RunAsync(cts.Token);
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();

        Parked(runner);
        _actions.TargetActive = true;
        runner.NotifyResourceActivated("awseip1");
        _time.Advance(TimeSpan.FromSeconds(59));
        Parked(runner);
        Volatile.Read(ref count).Should().Be(1, "another resource's activation is not this monitor's");
        _time.Advance(TimeSpan.FromSeconds(1));
        (await seen.WaitAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();

        await cts.CancelAsync();
        await run.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        _monitor.Calls.Should().Be(1);
    }

    /// <summary>Waits until the runner's loop waits on the fake clock again: only then may the test advance it.</summary>
    private static void Parked(MonitorRunner runner, long afterParks = -1) => MonitorRunnerTestHooks.WaitUntilParked(runner, afterParks);
}
