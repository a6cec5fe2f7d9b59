using ClusterPro.Applications.Systemd;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Applications.Tests.Systemd;

/// <summary>
/// The systemd resource and monitor against a fake systemctl: waiting for the unit to be active, systemd's failure reason
/// in the result, a start that hangs killed at the timeout, a unit systemd does not know. Proven only with the fake.
/// </summary>
public sealed class SystemdResourceTests : IDisposable
{
    private const string Unit = "nginx.service";
    private static readonly ResourceContext Context = new("node1", "failover1");
    private readonly FakeSystemctl _systemctl = new();

    public void Dispose() => _systemctl.Dispose();

    private SystemdResource Resource(TimeProvider? time = null, TimeSpan? timeout = null) =>
        new("web1", new SystemdResourceOptions { Unit = Unit, Systemctl = _systemctl.Path, PollInterval = TimeSpan.FromMilliseconds(50), Timeout = timeout ?? TimeSpan.FromSeconds(30) }, time ?? TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Activate_StartsTheUnit_AndWaitsUntilItIsActive()
    {
        _systemctl.Mark(Unit, "slow");

        var result = await Resource().ActivateAsync(Context);

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Changes.Should().Equal("started nginx.service: active (running)");
        _systemctl.Calls.Should().StartWith(["show nginx.service", "start nginx.service", "show nginx.service"]).And.EndWith("show nginx.service");
        _systemctl.Calls.Count(c => c == "show nginx.service").Should().BeGreaterThan(2, "the unit was activating for a while and was read again");
    }

    [Fact]
    public async Task Activate_UnitThatFailsToStart_FailsWithCode5_AndSystemdsReason()
    {
        _systemctl.Mark(Unit, "fail");
        _systemctl.SetText(Unit, "Cannot bind to port 80");

        var result = await Resource().ActivateAsync(Context);

        result.Code.Should().Be(ApplicationResultCodes.UnitNotActive);
        result.Message.Should().Be(
            "nginx.service did not start: nginx.service is failed (failed): result exit-code, main process exited with status 1 — \"Cannot bind to port 80\". " +
            "systemctl: Job for nginx.service failed because the control process exited with error code. | See \"systemctl status nginx.service\" and \"journalctl -xeu nginx.service\" for details.");
    }

    [Fact]
    public async Task Activate_UnitSystemdDoesNotKnow_FailsWithCode5_WithoutStartingIt()
    {
        _systemctl.Mark(Unit, "missing");

        var result = await Resource().ActivateAsync(Context);

        result.Code.Should().Be(ApplicationResultCodes.UnitNotActive);
        result.Message.Should().Be("nginx.service is not loaded (LoadState=not-found): systemd does not know the unit on this node.");
        _systemctl.Calls.Should().Equal("show nginx.service");
    }

    [Fact]
    public async Task Activate_StartThatHangs_IsKilledAtTheTimeout_Code1()
    {
        var time = new FakeTimeProvider();
        _systemctl.Mark(Unit, "hang");
        var resource = Resource(time, TimeSpan.FromSeconds(90));

        var activation = resource.ActivateAsync(Context);
        (await Eventually.TrueAsync(() => _systemctl.Calls.Contains("start nginx.service"))).Should().BeTrue();
        time.Advance(TimeSpan.FromSeconds(90));
        var result = await activation.WaitAsync(Pids.Within);

        result.Code.Should().Be(ResultCodes.Timeout);
        result.Message.Should().StartWith("Command was not completed within 90 seconds (").And.Contain("starting nginx.service); systemctl was killed.");
    }

    [Fact]
    public async Task SystemctlMissing_FailsWithCode6_NamingIt()
    {
        var resource = new SystemdResource("web1", new SystemdResourceOptions { Unit = Unit, Systemctl = "/opt/nowhere/systemctl" }, TimeProvider.System, NullLogger.Instance);

        var result = await resource.ActivateAsync(Context);

        result.Code.Should().Be(ApplicationResultCodes.SystemctlFailed);
        result.Message.Should().Be("systemctl could not be run (reading the state of nginx.service): '/opt/nowhere/systemctl' was not found.");
    }

    [Fact]
    public async Task Deactivate_StopsTheUnit_AndAFailedUnitCountsAsStopped()
    {
        var resource = Resource();
        (await resource.ActivateAsync(Context)).Succeeded.Should().BeTrue();

        var stopped = await resource.DeactivateAsync(Context);

        stopped.Changes.Should().Equal("stopped nginx.service: inactive (dead)");
        _systemctl.SetState(Unit, "failed");
        (await resource.DeactivateAsync(Context)).Changes.Should().BeEmpty("a failed unit does not run");
    }

    [Fact]
    public async Task Monitor_ActiveIsNormal_ActivatingAWarning_FailedAnErrorWithTheReason()
    {
        var monitor = new SystemdMonitor("web1w", Unit, new Systemctl("web1w", _systemctl.Path, TimeProvider.System, NullLogger.Instance));
        var context = new MonitorContext("node1", "web1w");

        _systemctl.SetState(Unit, "active");
        (await monitor.CheckAsync(context)).Should().Be(MonitorResult.Normal("nginx.service is active (running)."));
        _systemctl.SetState(Unit, "activating");
        (await monitor.CheckAsync(context)).Should().Be(MonitorResult.Warning(ApplicationResultCodes.UnitNotActive, "nginx.service is activating (start)."));
        _systemctl.Mark(Unit, "fail");
        await Resource().ActivateAsync(Context);
        var failed = await monitor.CheckAsync(context);
        failed.Status.Should().Be(MonitorStatus.Error);
        failed.Code.Should().Be(ApplicationResultCodes.UnitNotActive);
        failed.Message.Should().Be("nginx.service is failed (failed): result exit-code, main process exited with status 1.");
    }
}
