using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterPro.Aws.Testing;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// <c>check</c> on a node that does not hold a group (as AWS says): that group's monitors are not active here, exit 0;
/// exit 3 when it cannot be told; <c>--output json</c> is one JSON document on standard output while warnings are logged.
/// </summary>
public sealed class CheckCommandTests : IAsyncLifetime
{
    private AwsEmulator _emulator = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, Route53PropagationDelay = TimeSpan.Zero });
        foreach (var (name, value) in Environment())
        {
            System.Environment.SetEnvironmentVariable(name, value);
        }

        _config = EmulatorConfigFile.Write(_emulator, _ => { });
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, _) in Environment())
        {
            System.Environment.SetEnvironmentVariable(name, null);
        }

        File.Delete(_config);
        await _emulator.DisposeAsync();
    }

    /// <summary>The emulator's endpoint and credentials, and the heartbeat key, as a machine's environment has them.</summary>
    private Dictionary<string, string> Environment() =>
        new(_emulator.EnvironmentVariables) { ["CLUSTERPRO_HEARTBEAT_KEY"] = "a-shared-secret-of-32-characters" };

    [Fact]
    public async Task Check_OnTheNodeThatDoesNotHoldTheGroup_ItsMonitorsAreNotActiveHere_Exit0()
    {
        (await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1")).Code.Should().Be(0);

        var check = await ConsoleRun.RunAsync("check", "--config", _config, "--node", "node2");

        check.Code.Should().Be(0, check.Output + check.Error);
        check.Output.Should().Contain("awsvipw1 NotActive 0 not active here: AWS points failover1 at node1")
            .And.Contain("awseipw1 NotActive 0").And.Contain("awsdnsw1 NotActive 0")
            .And.Contain("awsazw1 Normal 0", "a monitor of no group runs on every node");
    }

    [Fact]
    public async Task Check_Json_TheScenariosRoutesPointAtNode1_Node2sGroupMonitorsAreNotActive()
    {
        var check = await ConsoleRun.RunAsync("check", "--config", _config, "--node", "node2", "--output", "json");

        check.Code.Should().Be(0, check.Output + check.Error);
        var json = JsonNode.Parse(check.Output)!;
        json["status"]!.GetValue<string>().Should().Be("Normal");
        var vip = json["monitors"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "awsvipw1")!;
        vip["status"]!.GetValue<string>().Should().Be("NotActive");
        vip["message"]!.GetValue<string>().Should().Be("not active here: AWS points failover1 at node1");
    }

    [Fact]
    public async Task Check_AwsCannotTellWhetherThisNodeHoldsTheGroup_Exit3()
    {
        (await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1")).Code.Should().Be(0);
        _emulator.Faults.Deny("DescribeAddresses");

        var check = await ConsoleRun.RunAsync("check", "--config", _config, "--node", "node2", "--output", "json");

        check.Code.Should().Be(3, check.Output + check.Error);
        var json = JsonNode.Parse(check.Output)!;
        json["status"]!.GetValue<string>().Should().Be("Unknown");
        json["exitCode"]!.GetValue<int>().Should().Be(3);
        var vip = json["monitors"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "awsvipw1")!;
        vip["status"]!.GetValue<string>().Should().Be("Unknown");
        vip["message"]!.GetValue<string>().Should().StartWith("not run: whether node2 holds failover1 is unknown: awseip1: ");
    }

    [Fact]
    public async Task Check_OutputJson_AsAProcess_IsOneJsonDocumentOnStdout_WhileWarningsAreLogged()
    {
        var s = _emulator.Scenario!;
        (await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1")).Code.Should().Be(0);
        _emulator.Drift.RetargetRoute(s.RouteTablePrivateB, s.VipCidr, s.Node2.EniId);   // the VIP monitor logs a warning

        await using var process = ChildProcess.Start("clusterpro.dll", Environment(), "check", "--config", _config, "--node", "node1", "--output", "json");
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        code.Should().Be(2, process.Output + process.Error);
        process.Error.Should().Contain("warn: ClusterPro", "the route drift was logged, on standard error");
        using var document = JsonDocument.Parse(process.Output);
        document.RootElement.GetProperty("exitCode").GetInt32().Should().Be(2);
        document.RootElement.GetProperty("monitors").EnumerateArray().Should().Contain(m => m.GetProperty("name").GetString() == "awsvipw1" && m.GetProperty("code").GetInt32() == 56);
    }
}
