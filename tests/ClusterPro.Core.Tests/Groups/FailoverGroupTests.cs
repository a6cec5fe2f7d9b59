using ClusterPro.Failover;
using ClusterPro.Groups;
using ClusterPro.Resources;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Core.Tests.Groups;

public class FailoverGroupTests
{
    private readonly World _world = new();
    private readonly RecordingFinalActions _final = new();
    private readonly FakeTimeProvider _time = new();

    private (FailoverGroup Group, Dictionary<string, FakeResource> Resources) Build(params (string Name, Action<GroupResourceOptions>? Configure)[] specs)
    {
        var resources = new Dictionary<string, FakeResource>();
        var members = new List<GroupMember>();
        foreach (var (name, configure) in specs)
        {
            var r = new FakeResource(name, _world);
            var o = new GroupResourceOptions { Name = name };
            configure?.Invoke(o);
            resources[name] = r;
            members.Add(new GroupMember(r, o));
        }

        return (new FailoverGroup("failover1", members, _final, _time), resources);
    }

    [Fact]
    public async Task ActivateAsync_ActivatesInDependencyOrder_AndDeactivateAsyncReverses()
    {
        var (group, _) = Build(("app", o => o.DependsOn.Add("vip")), ("vip", null), ("dns", null));

        var up = await group.ActivateAsync("node1");
        var down = await group.DeactivateAsync("node1");

        up.Succeeded.Should().BeTrue();
        up.ActiveResources.Should().Equal("vip", "app", "dns");
        down.Succeeded.Should().BeTrue();
        down.ActiveResources.Should().BeEmpty();
        _world.Calls.Should().Equal(
            "activate vip", "activate app", "activate dns",
            "deactivate dns", "deactivate app", "deactivate vip");
    }

    [Fact]
    public async Task ActivateAsync_Twice_SecondChangesNothing()
    {
        var (group, _) = Build(("vip", null), ("eip", null));
        await group.ActivateAsync("node1");

        var again = await group.ActivateAsync("node1");

        again.Succeeded.Should().BeTrue();
        again.Resources.Should().OnlyContain(r => r.Result.Changes.Count == 0);
    }

    [Fact]
    public async Task ActivateAsync_FailureWithDefaults_RequestsFailoverOnceThenFinalActionNone_AndNeverActivatesNext()
    {
        var (group, r) = Build(("vip", null), ("eip", null), ("dns", null));
        r["eip"].FailNextActivations(10);

        var first = await group.ActivateAsync("node1");
        var second = await group.ActivateAsync("node1");

        first.Outcome.Should().Be(GroupOutcome.FailoverRequested);
        first.FailedResource.Should().Be("eip");
        first.ActiveResources.Should().Equal("vip");
        first.Resources.Single(x => x.Name == "eip").Attempts.Should().Be(1, "the activation retry threshold defaults to 0");
        first.ToString().Should().Contain("Activating eip resource has failed.(50 : Failed in the AWS API call. (eip))").And.Contain("active: vip");

        second.Outcome.Should().Be(GroupOutcome.FinalActionTaken, "the failover threshold defaults to 1");
        second.FinalAction.Should().Be(FinalAction.None);
        r["dns"].ActivateCalls.Should().Be(0, "the default final action does not activate the next resource");
        _final.Requests.Should().BeEmpty("FinalAction.None reaches no host handler");
    }

    [Fact]
    public async Task ActivateAsync_RetryThreshold_RetriesUntilSuccess()
    {
        var (group, r) = Build(("vip", o => o.ActivationRetryThreshold = 2));
        r["vip"].FailNextActivations(2);

        var result = await group.ActivateAsync("node1");

        result.Succeeded.Should().BeTrue();
        result.Resources.Single().Attempts.Should().Be(3);
        r["vip"].ActivateCalls.Should().Be(3);
    }

    [Fact]
    public async Task ActivateAsync_RetryThresholdUsedUp_FailsAfterThresholdPlusOneAttempts()
    {
        var (group, r) = Build(("vip", o => o.ActivationRetryThreshold = 2));
        r["vip"].FailNextActivations(3);

        var result = await group.ActivateAsync("node1");

        result.Outcome.Should().Be(GroupOutcome.FailoverRequested);
        r["vip"].ActivateCalls.Should().Be(3);
    }

    [Fact]
    public async Task ActivateAsync_FailoverThresholdZero_TakesFinalActionAtOnce_HandedToHost()
    {
        var (group, r) = Build(("vip", o => { o.FailoverThreshold = 0; o.ActivationFinalAction = FinalAction.StopClusterServiceAndShutdownOs; }));
        r["vip"].FailNextActivations(1);

        var result = await group.ActivateAsync("node1");

        result.Outcome.Should().Be(GroupOutcome.FinalActionTaken);
        _final.Requests.Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { Action = FinalAction.StopClusterServiceAndShutdownOs, Source = "vip", NodeName = "node1", GroupName = "failover1" });
        _final.Requests[0].Reason.Should().Contain("(50 : Failed in the AWS API call. (vip))");
    }

    [Fact]
    public async Task ActivateAsync_FinalActionNoneContinue_ActivatesTheNextResource()
    {
        var (group, r) = Build(("vip", o => { o.FailoverThreshold = 0; o.ActivationFinalAction = FinalAction.NoneContinue; }), ("dns", null));
        r["vip"].FailNextActivations(1);

        var result = await group.ActivateAsync("node1");

        result.Outcome.Should().Be(GroupOutcome.FinalActionTaken);
        result.ActiveResources.Should().Equal("dns");
        result.FailedResource.Should().Be("vip");
    }

    [Fact]
    public async Task ActivateAsync_FinalActionStopGroup_DeactivatesWhatWasActive()
    {
        var (group, r) = Build(("vip", null), ("dns", o => { o.FailoverThreshold = 0; o.ActivationFinalAction = FinalAction.StopGroup; }));
        r["dns"].FailNextActivations(1);

        var result = await group.ActivateAsync("node1");

        result.Outcome.Should().Be(GroupOutcome.FinalActionTaken);
        result.ActiveResources.Should().BeEmpty();
        _world.Applied.Should().BeEmpty();
        _final.Requests.Should().BeEmpty("the group stops itself");
    }

    [Fact]
    public async Task ActivateAsync_SuccessResetsFailoverCount()
    {
        var (group, r) = Build(("vip", null));
        r["vip"].FailNextActivations(1);
        (await group.ActivateAsync("node1")).Outcome.Should().Be(GroupOutcome.FailoverRequested);
        group.FailoverCount("vip").Should().Be(1);

        (await group.ActivateAsync("node1")).Succeeded.Should().BeTrue();

        group.FailoverCount("vip").Should().Be(0);
    }

    [Fact]
    public async Task ActivateAsync_ResourceHangs_TimesOutWithTheResourceTimeoutCode()
    {
        var (group, r) = Build(("vip", o => o.ActivationTimeout = TimeSpan.FromSeconds(30)));
        r["vip"].HangOnActivate = true;

        var task = group.ActivateAsync("node1");
        _time.Advance(TimeSpan.FromSeconds(29));
        task.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await task;

        var vip = result.Resources.Single().Result;
        vip.Code.Should().Be(ResultCodes.Timeout);
        vip.Message.Should().Be("Command was not completed within 30 seconds.");
        result.Outcome.Should().Be(GroupOutcome.FailoverRequested);
    }

    [Fact]
    public async Task ActivateAsync_StepGuardSaysStop_StopsBeforeTheNextStep_AndKeepsWhatIsActive()
    {
        var (group, r) = Build(("vip", null), ("eip", o => o.ActivationRetryThreshold = 2), ("dns", null));
        var asked = 0;

        var act = () => group.ActivateAsync(new ResourceContext("node1", "failover1"), () => ++asked == 1 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero, CancellationToken.None);

        await act.Should().ThrowAsync<ActivationStoppedException>().WithMessage("Activating eip of failover1 was not started*");
        asked.Should().Be(2);
        r["eip"].ActivateCalls.Should().Be(0, "a step the guard refuses is never started");
        group.ActiveResources.Should().Equal("vip");
    }

    [Fact]
    public async Task ActivateAsync_StepGuardAsksBeforeEveryRetry()
    {
        var (group, r) = Build(("vip", o => o.ActivationRetryThreshold = 2));
        r["vip"].FailNextActivations(10);
        var asked = 0;

        var act = () => group.ActivateAsync(new ResourceContext("node1", "failover1"), () => ++asked <= 2 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero, CancellationToken.None);

        await act.Should().ThrowAsync<ActivationStoppedException>();
        r["vip"].ActivateCalls.Should().Be(2, "the third attempt (the second retry) is refused");
    }

    [Fact]
    public async Task ActivateAsync_StepGuardBoundsTheStepTimeout()
    {
        var (group, r) = Build(("vip", o => o.ActivationTimeout = TimeSpan.FromSeconds(30)));
        r["vip"].HangOnActivate = true;

        var task = group.ActivateAsync(new ResourceContext("node1", "failover1"), () => TimeSpan.FromSeconds(4), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(4));
        var result = await task;

        var vip = result.Resources.Single().Result;
        vip.Code.Should().Be(ResultCodes.Timeout);
        vip.Message.Should().Contain("bounded by the time left on the group's lease");
    }

    [Fact]
    public async Task ActivateAsync_ResourceThrows_BecomesAFailedResult()
    {
        var (group, r) = Build(("vip", null));
        r["vip"].ThrowOnActivate = new InvalidOperationException("boom");

        var result = await group.ActivateAsync("node1");

        var vip = result.Resources.Single().Result;
        vip.Code.Should().Be(ResultCodes.UnexpectedException);
        vip.Message.Should().Contain("boom");
    }

    [Fact]
    public async Task ActivateAsync_CallerCancels_Throws()
    {
        var (group, r) = Build(("vip", null));
        r["vip"].HangOnActivate = true;
        using var cts = new CancellationTokenSource();

        var task = group.ActivateAsync("node1", cts.Token);
        await cts.CancelAsync();

        await task.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task DeactivateAsync_FailureWithDefaults_HandsShutdownToTheHost_AndStops()
    {
        var (group, r) = Build(("vip", null), ("dns", null));
        await group.ActivateAsync("node1");
        r["dns"].FailNextDeactivations(1);

        var result = await group.DeactivateAsync("node1");

        result.Outcome.Should().Be(GroupOutcome.FinalActionTaken);
        result.FinalAction.Should().Be(FinalAction.StopClusterServiceAndShutdownOs);
        result.ActiveResources.Should().Equal("vip", "dns");
        r["vip"].DeactivateCalls.Should().Be(0, "the default final action does not go on to the next resource");
        _final.Requests.Should().ContainSingle().Which.Action.Should().Be(FinalAction.StopClusterServiceAndShutdownOs);
    }

    [Fact]
    public async Task DeactivateAsync_RetryThreshold_RetriesThenSucceeds()
    {
        var (group, r) = Build(("vip", o => o.DeactivationRetryThreshold = 1));
        await group.ActivateAsync("node1");
        r["vip"].FailNextDeactivations(1);

        var result = await group.DeactivateAsync("node1");

        result.Succeeded.Should().BeTrue();
        result.Resources.Single().Attempts.Should().Be(2);
        _final.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task DeactivateAsync_FinalActionNoneContinue_DeactivatesTheRest()
    {
        var (group, r) = Build(("vip", null), ("dns", o => o.DeactivationFinalAction = FinalAction.NoneContinue));
        await group.ActivateAsync("node1");
        r["dns"].FailNextDeactivations(1);

        var result = await group.DeactivateAsync("node1");

        result.Outcome.Should().Be(GroupOutcome.FinalActionTaken);
        result.ActiveResources.Should().Equal("dns");
        _world.Applied.Keys.Should().Equal("dns");
    }

    [Fact]
    public async Task ReactivateResourceAsync_DeactivatesThenActivatesOneResource()
    {
        var (group, _) = Build(("vip", null), ("dns", null));
        await group.ActivateAsync("node1");
        while (_world.Calls.TryDequeue(out _))
        {
        }

        var result = await group.ReactivateResourceAsync("dns", "node1");

        result.Succeeded.Should().BeTrue();
        _world.Calls.Should().Equal("deactivate dns", "activate dns");
        group.ActiveResources.Should().Equal("vip", "dns");
    }

    [Fact]
    public void Constructor_DependencyCycle_Throws()
    {
        var act = () => Build(("a", o => o.DependsOn.Add("b")), ("b", o => o.DependsOn.Add("a")));
        act.Should().Throw<InvalidOperationException>().WithMessage("*cycle*");
    }
}
