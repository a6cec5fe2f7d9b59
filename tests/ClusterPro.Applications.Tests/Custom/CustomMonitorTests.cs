using ClusterPro.Applications.Custom;
using ClusterPro.Monitoring;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Applications.Tests.Custom;

/// <summary>The custom monitor: a real command's exit code is the check, and a check that hangs dies with its children when the runner gives up.</summary>
public sealed class CustomMonitorTests : IDisposable
{
    private static readonly MonitorContext Context = new("node1", "appw1");
    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private CustomMonitor Monitor(string body, string? resource = null) =>
        new("appw1", new CustomMonitorOptions { Command = [_scratch.Script("check.sh", body)], Resource = resource }, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task Exit0_IsNormal_Exit1_AWarning102_OtherAnError2_WithTheLastOutput()
    {
        (await Monitor("echo ok").CheckAsync(Context)).Should().Be(MonitorResult.Normal("The command exited with code 0. Last output: ok"));
        (await Monitor("echo 'replication lag 40 s'; exit 1").CheckAsync(Context)).Should().Be(MonitorResult.Warning(ApplicationResultCodes.CommandFailed, "The command exited with code 1. Last output: replication lag 40 s"));
        var error = await Monitor("echo 'no answer on :5432' >&2; exit 2").CheckAsync(Context);
        error.Should().Be(MonitorResult.Error(ApplicationResultCodes.CommandFailed, "The command exited with code 2. Last output: no answer on :5432"));
        error.Code.Should().Be(2);
    }

    [Fact]
    public async Task TheCommand_IsToldTheNodeTheMonitorAndTheResource()
    {
        var monitor = Monitor($"env | grep ^CLUSTERPRO_ | sort > {_scratch.Path("env")}", resource: "app1");

        (await monitor.CheckAsync(Context)).Status.Should().Be(MonitorStatus.Normal);

        File.ReadAllLines(_scratch.Path("env")).Should().Equal("CLUSTERPRO_ACTION=check", "CLUSTERPRO_MONITOR=appw1", "CLUSTERPRO_NODE=node1", "CLUSTERPRO_RESOURCE=app1");
    }

    [Fact]
    public async Task ACheckThatHangs_IsKilledWithItsChildren_WhenTheRunnerCancelsIt()
    {
        var monitor = Monitor($"sleep 300 & echo $! > {_scratch.Path("child")}; echo $$ > {_scratch.Path("pid")}; wait");
        using var timeout = new CancellationTokenSource();

        var check = monitor.CheckAsync(Context, timeout.Token);
        var pid = await Pids.ReadAsync(_scratch.Path("pid"));
        var child = await Pids.ReadAsync(_scratch.Path("child"));
        await timeout.CancelAsync();

        await check.Awaiting(c => c.WaitAsync(Pids.Within)).Should().ThrowAsync<OperationCanceledException>("the runner maps its own timeout to the monitor's timeout result");
        (await Pids.DeadAsync(pid)).Should().BeTrue();
        (await Pids.DeadAsync(child)).Should().BeTrue();
    }

    [Fact]
    public async Task ACommandThatCannotStart_IsError3()
    {
        var monitor = new CustomMonitor("appw1", new CustomMonitorOptions { Command = ["/opt/nowhere/check"] }, TimeProvider.System, NullLogger.Instance);

        var result = await monitor.CheckAsync(Context);

        result.Should().Be(MonitorResult.Error(ApplicationResultCodes.CommandNotStarted, "The command could not be started: '/opt/nowhere/check' was not found."));
    }
}
