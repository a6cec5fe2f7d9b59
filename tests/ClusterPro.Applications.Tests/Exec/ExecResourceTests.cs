using ClusterPro.Applications.Exec;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Applications.Tests.Exec;

/// <summary>
/// The exec resource with real processes: what a script is told, what its exit code becomes, and timeouts (on a fake
/// clock) that kill a hanging script together with the children it started.
/// </summary>
public sealed class ExecResourceTests : IDisposable
{
    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private static ResourceContext Context(OperationCause cause = OperationCause.Start, string? peer = null) =>
        new("node2", "failover1") { Cause = cause, Peer = peer };

    [Fact]
    public async Task Start_TheScriptIsToldWhyWhereAndForWhom_AndGetsItsEnvironment_ButNotTheNodesOwnSettings()
    {
        Environment.SetEnvironmentVariable("CLUSTERPRO_TEST_NODE_SECRET", "not for the application");
        var env = _scratch.Path("env");
        var script = _scratch.Script("start.sh", $"env | grep -E '^(CLUSTERPRO_|APP_|DB_)' | sort > {env}; pwd >> {env}");
        var resource = new ExecResource("app1", new ExecResourceOptions
        {
            Start = [script],
            Stop = [script],
            WorkingDirectory = _scratch.Root,
            Environment = new Dictionary<string, string> { ["APP_PORT"] = "18080" },
            SecretEnvironment = new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret" },
        }, TimeProvider.System, NullLogger.Instance);

        var started = await resource.ActivateAsync(Context(OperationCause.Failover, "node1"));

        started.Succeeded.Should().BeTrue(started.ToString());
        started.Changes.Should().ContainSingle().Which.Should().StartWith($"ran the start command ({script}): exit 0 in ");
        File.ReadAllLines(env).Should().Equal(
            "APP_PORT=18080",
            "CLUSTERPRO_ACTION=start",
            "CLUSTERPRO_EVENT=failover",
            "CLUSTERPRO_GROUP=failover1",
            "CLUSTERPRO_NODE=node2",
            "CLUSTERPRO_PEER=node1",
            "CLUSTERPRO_RESOURCE=app1",
            "DB_PASSWORD=s3cret",
            _scratch.Root);

        (await resource.DeactivateAsync(Context(OperationCause.Stop))).Succeeded.Should().BeTrue();
        File.ReadAllLines(env).Should().Contain(["CLUSTERPRO_ACTION=stop", "CLUSTERPRO_EVENT=stop"]).And.NotContain(l => l.StartsWith("CLUSTERPRO_PEER", StringComparison.Ordinal), "no peer, no variable");
    }

    [Theory]
    [InlineData(OperationCause.Start, "start")]
    [InlineData(OperationCause.Failover, "failover")]
    [InlineData(OperationCause.Move, "move")]
    [InlineData(OperationCause.Stop, "stop")]
    public void EventName_IsTheCauseInLowerCase(OperationCause cause, string expected) =>
        ExecResource.EventName(cause).Should().Be(expected);

    [Fact]
    public async Task Start_ExitCodeNot0_FailsWithCode2_TheExitCodeAndTheLastOutput()
    {
        var script = _scratch.Script("start.sh", "echo starting; echo 'config file /etc/app.conf is missing' >&2; exit 7");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [script] }, TimeProvider.System, NullLogger.Instance);

        var result = await resource.ActivateAsync(Context());

        result.Succeeded.Should().BeFalse();
        result.Code.Should().Be(ApplicationResultCodes.CommandFailed);
        result.Message.Should().Be("The start command exited with code 7. Last output: starting | config file /etc/app.conf is missing");
    }

    [Fact]
    public async Task Start_ProgramThatDoesNotExist_FailsWithCode3_NamingIt()
    {
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = ["/opt/nowhere/start.sh"] }, TimeProvider.System, NullLogger.Instance);

        var result = await resource.ActivateAsync(Context());

        result.Code.Should().Be(ApplicationResultCodes.CommandNotStarted);
        result.Message.Should().Contain("'/opt/nowhere/start.sh'");
        (await resource.DeactivateAsync(Context())).Changes.Should().BeEmpty("nothing ran, so nothing is undone");
    }

    [Fact]
    public async Task Shell_RunsTheOneStringWithShC()
    {
        var resource = new ExecResource("app1", new ExecResourceOptions { Shell = true, Start = [$"echo \"$CLUSTERPRO_NODE on $CLUSTERPRO_GROUP\" > {_scratch.Path("out")}"] }, TimeProvider.System, NullLogger.Instance);

        (await resource.ActivateAsync(Context())).Succeeded.Should().BeTrue();

        _scratch.Read("out").Should().Be("node2 on failover1\n");
    }

    [Fact]
    public async Task NoShell_ArgumentsAreNotExpanded()
    {
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = ["/bin/sh", "-c", "printf '%s' \"$1\" > \"$2\"", "sh", "$HOME; rm -rf /", _scratch.Path("out")] }, TimeProvider.System, NullLogger.Instance);

        (await resource.ActivateAsync(Context())).Succeeded.Should().BeTrue();

        _scratch.Read("out").Should().Be("$HOME; rm -rf /", "an argument is passed as it is, not through a shell");
    }

    [SkippableFact]
    public async Task User_RunsTheCommandAsThatUser()
    {
        Skip.IfNot(Environment.UserName == "root", "running a command as another user needs root");
        var resource = new ExecResource("app1", new ExecResourceOptions { User = "nobody", Shell = true, Start = [$"id -un > {_scratch.Path("who")} 2>&1 || true"] }, TimeProvider.System, NullLogger.Instance);
        File.SetUnixFileMode(_scratch.Root, (UnixFileMode)0b111_111_111);

        (await resource.ActivateAsync(Context())).Succeeded.Should().BeTrue();

        _scratch.Read("who").Trim().Should().Be("nobody");
    }

    [Fact]
    public async Task Output_GoesToTheLog_LineByLine_WithSecretValuesHidden()
    {
        var logger = new FakeLogger();
        var script = _scratch.Script("start.sh", "echo \"connecting with $DB_PASSWORD\"; echo 'warming up' >&2");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [script], SecretEnvironment = new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret" } }, TimeProvider.System, logger);

        (await resource.ActivateAsync(Context())).Succeeded.Should().BeTrue();

        var lines = logger.Collector.GetSnapshot().Select(r => r.Message).ToList();
        lines.Should().Contain(l => l.EndsWith("stdout: connecting with ***", StringComparison.Ordinal))
            .And.Contain(l => l.EndsWith("stderr: warming up", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("app1: start command started as pid ", StringComparison.Ordinal))
            .And.NotContain(l => l.Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ThatHangs_IsKilledAtItsTimeout_WithTheChildrenItStarted()
    {
        var time = new FakeTimeProvider();
        var script = _scratch.Script("start.sh", $"sleep 300 & echo $! > {_scratch.Path("child")}; echo $$ > {_scratch.Path("script")}; wait");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [script], Timeout = TimeSpan.FromSeconds(30) }, time, NullLogger.Instance);

        var activation = resource.ActivateAsync(Context());
        var scriptPid = await Pids.ReadAsync(_scratch.Path("script"));
        var childPid = await Pids.ReadAsync(_scratch.Path("child"));
        time.Advance(TimeSpan.FromSeconds(29));
        activation.IsCompleted.Should().BeFalse("29 s is within the timeout");
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await activation.WaitAsync(Pids.Within);

        result.Code.Should().Be(ResultCodes.Timeout);
        result.Message.Should().StartWith("Command was not completed within 30 seconds. The start command's process group was killed.");
        (await Pids.DeadAsync(scriptPid)).Should().BeTrue("the script is killed");
        (await Pids.DeadAsync(childPid)).Should().BeTrue("and so is the child it started, in its process group");
    }

    [Fact]
    public async Task Stop_ThatHangs_IsKilledAtItsStopTimeout_WithItsChildren_AndTheResultSaysSo()
    {
        var time = new FakeTimeProvider();
        var stop = _scratch.Script("stop.sh", $"(sleep 300; echo never) & echo $! > {_scratch.Path("child")}; echo $$ > {_scratch.Path("script")}; sleep 300");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = ["/bin/true"], Stop = [stop], StopTimeout = TimeSpan.FromSeconds(10) }, time, NullLogger.Instance);
        (await resource.ActivateAsync(Context())).Succeeded.Should().BeTrue();

        var deactivation = resource.DeactivateAsync(Context(OperationCause.Stop));
        var scriptPid = await Pids.ReadAsync(_scratch.Path("script"));
        var childPid = await Pids.ReadAsync(_scratch.Path("child"));
        time.Advance(TimeSpan.FromSeconds(10));
        var result = await deactivation.WaitAsync(Pids.Within);

        result.Code.Should().Be(ResultCodes.Timeout);
        result.Message.Should().StartWith("Command was not completed within 10 seconds. The stop command's process group was killed.");
        (await Pids.DeadAsync(scriptPid)).Should().BeTrue();
        (await Pids.DeadAsync(childPid)).Should().BeTrue();
    }

    [Fact]
    public async Task Cancellation_KillsTheRunningScript_AndThrows()
    {
        var script = _scratch.Script("start.sh", $"echo $$ > {_scratch.Path("script")}; sleep 300");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [script] }, TimeProvider.System, NullLogger.Instance);
        using var cts = new CancellationTokenSource();

        var activation = resource.ActivateAsync(Context(), cts.Token);
        var pid = await Pids.ReadAsync(_scratch.Path("script"));
        await cts.CancelAsync();

        await activation.Awaiting(a => a.WaitAsync(Pids.Within)).Should().ThrowAsync<OperationCanceledException>();
        (await Pids.DeadAsync(pid)).Should().BeTrue();
    }

    [Fact]
    public async Task Service_RunsUntilDeactivated_ItsExitIsSeen_AndStopSendsSigtermToItsGroup()
    {
        var service = _scratch.Script("service.sh", $"echo \"$CLUSTERPRO_EVENT\" > {_scratch.Path("event")}; sleep 300 & echo $! > {_scratch.Path("child")}; wait");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [service], Mode = ExecMode.Service, StartupGrace = TimeSpan.FromMilliseconds(200) }, TimeProvider.System, NullLogger.Instance);

        var started = await resource.ActivateAsync(Context(OperationCause.Move, "node1"));
        var child = await Pids.ReadAsync(_scratch.Path("child"));
        var status = resource.ServiceStatus("node2");
        status.Running.Should().BeTrue();
        started.Changes.Should().ContainSingle().Which.Should().Be($"started the service ({service}) as pid {status.Pid} on node2");
        _scratch.Read("event").Should().Be("move\n");
        resource.ServiceStatus("node1").Running.Should().BeFalse("each node has its own service");

        var stopped = await resource.DeactivateAsync(Context(OperationCause.Stop));

        stopped.Succeeded.Should().BeTrue(stopped.ToString());
        stopped.Changes.Should().Contain($"sent SIGTERM to the service's process group (pid {status.Pid})");
        (await Pids.DeadAsync(status.Pid!.Value)).Should().BeTrue();
        (await Pids.DeadAsync(child)).Should().BeTrue("the service's whole process group stops");
        resource.ServiceStatus("node2").Should().Be(new ExecServiceStatus(false, null, null));
    }

    [Fact]
    public async Task Service_ThatDies_IsReportedWithItsExitCode()
    {
        var service = _scratch.Script("service.sh", $"echo $$ > {_scratch.Path("pid")}; while [ ! -f {_scratch.Path("die")} ]; do sleep 0.05; done; exit 42");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [service], Mode = ExecMode.Service, StartupGrace = TimeSpan.Zero }, TimeProvider.System, NullLogger.Instance);
        var monitor = new ProcessMonitor("appw1", "app1", resource);
        (await resource.ActivateAsync(Context())).Succeeded.Should().BeTrue();
        var pid = await Pids.ReadAsync(_scratch.Path("pid"));
        (await monitor.CheckAsync(new Monitoring.MonitorContext("node2", "appw1"))).Should().Be(Monitoring.MonitorResult.Normal($"The service of app1 runs as pid {pid}."));

        File.WriteAllText(_scratch.Path("die"), string.Empty);
        (await Eventually.TrueAsync(() => !resource.ServiceStatus("node2").Running)).Should().BeTrue();

        var check = await monitor.CheckAsync(new Monitoring.MonitorContext("node2", "appw1"));
        check.Should().Be(Monitoring.MonitorResult.Error(ApplicationResultCodes.ServiceNotRunning, $"The service of app1 (pid {pid}) exited with code 42."));
        (await monitor.CheckAsync(new Monitoring.MonitorContext("node1", "appw1"))).Message.Should().Be("The service of app1 is not running on node1.");
        var down = await resource.DeactivateAsync(Context(OperationCause.Failover, "node1"));
        down.Changes.Should().Equal($"the service (pid {pid}) had exited with code 42; marked stopped on node2");
    }

    [Fact]
    public async Task Service_ThatExitsWithinItsStartupGrace_FailsTheActivation_WithCode4()
    {
        var service = _scratch.Script("service.sh", "echo 'Address already in use' >&2; exit 98");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [service], Mode = ExecMode.Service, StartupGrace = TimeSpan.FromSeconds(10) }, TimeProvider.System, NullLogger.Instance);

        var result = await resource.ActivateAsync(Context());

        result.Code.Should().Be(ApplicationResultCodes.ServiceNotRunning);
        result.Message.Should().Be("The service exited with code 98 within its start-up grace of 10 s. Last output: Address already in use");
    }

    [Fact]
    public async Task Service_ThatIgnoresSigterm_IsKilledAtItsStopTimeout()
    {
        var time = new FakeTimeProvider();
        var service = _scratch.Script("service.sh", $"trap '' TERM; echo $$ > {_scratch.Path("pid")}; while true; do sleep 0.05; done");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [service], Mode = ExecMode.Service, StartupGrace = TimeSpan.Zero, StopTimeout = TimeSpan.FromSeconds(20) }, time, NullLogger.Instance);
        (await resource.ActivateAsync(Context())).Succeeded.Should().BeTrue();
        var pid = await Pids.ReadAsync(_scratch.Path("pid"));

        var stopping = resource.DeactivateAsync(Context(OperationCause.Stop));
        stopping.IsCompleted.Should().BeFalse("the service ignores SIGTERM, and the stop timeout has not passed");
        time.Advance(TimeSpan.FromSeconds(20));
        var result = await stopping.WaitAsync(Pids.Within);

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Changes.Should().Contain("killed the service's process group (pid " + pid + "): it had not ended within 20 s");
        (await Pids.DeadAsync(pid)).Should().BeTrue();
    }

    [Fact]
    public async Task Service_WithAStopCommand_RunsIt_ThenTheServiceEnds()
    {
        var service = _scratch.Script("service.sh", $"echo $$ > {_scratch.Path("pid")}; while [ ! -f {_scratch.Path("stop")} ]; do sleep 0.05; done; exit 0");
        var stop = _scratch.Script("stop.sh", $"echo \"$CLUSTERPRO_EVENT $CLUSTERPRO_PEER\" > {_scratch.Path("stop")}");
        var resource = new ExecResource("app1", new ExecResourceOptions { Start = [service], Stop = [stop], Mode = ExecMode.Service, StartupGrace = TimeSpan.Zero }, TimeProvider.System, NullLogger.Instance);
        (await resource.ActivateAsync(Context())).Succeeded.Should().BeTrue();
        var pid = await Pids.ReadAsync(_scratch.Path("pid"));

        var result = await resource.DeactivateAsync(Context(OperationCause.Move, "node3"));

        result.Succeeded.Should().BeTrue(result.ToString());
        _scratch.Read("stop").Should().Be("move node3\n");
        result.Changes.Should().HaveCount(2).And.EndWith($"the service (pid {pid}) ended with code 0");
    }
}
