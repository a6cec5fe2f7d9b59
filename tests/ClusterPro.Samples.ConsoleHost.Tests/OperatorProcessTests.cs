using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// An operator at a running cluster: two real `clusterpro run` processes on the standalone emulator (a process too),
/// and the tool's status, move, standby, unstandby, maintenance and activate, as an operator types them.
/// </summary>
public sealed class OperatorProcessTests : IAsyncLifetime
{
    private const string Host = "clusterpro.dll";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(5);
    private static readonly string[] EnvironmentNames = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "CLUSTERPRO_HEARTBEAT_KEY"];
    private StandaloneEmulator _aws = null!;

    public async Task InitializeAsync()
    {
        _aws = await StandaloneEmulator.StartAsync("--propagation-delay", "0");

        // The tool runs in this process, as the operator's shell would give it the same environment.
        foreach (var (name, value) in _aws.Environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var name in EnvironmentNames)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        await _aws.DisposeAsync();
    }

    [Fact]
    public async Task Status_Move_Standby_Unstandby_OnTwoRunningNodes_AndActivateIsRefused()
    {
        var config = WriteConfig();
        await using var node1 = Run(config, "node1");
        await using var node2 = Run(config, "node2");
        await node1.WaitForAsync("node1: GroupActivated failover1", Wait);
        await node2.WaitForAsync("node2 is running", Wait);

        // status: both nodes up, the owner by the nodes and by AWS, every monitor of both nodes.
        await UntilAsync(config, r => r["nodes"]!.AsArray().All(n => n!["state"]!.GetValue<string>() != "starting"));
        var status = await ConsoleRun.RunAsync("status", "--config", config, "--output", "json");
        status.Code.Should().Be(0, status.Output + status.Error);
        var root = JsonNode.Parse(status.Output)!;
        root["cluster"]!["state"]!.GetValue<string>().Should().Be("ok");
        root["nodes"]!.AsArray().Select(n => (n!["name"]!.GetValue<string>(), n["state"]!.GetValue<string>())).Should().Equal(("node1", "up"), ("node2", "up"));
        var group = root["groups"]!.AsArray().Single()!;
        group["name"]!.GetValue<string>().Should().Be("failover1");
        group["owner"]!.GetValue<string>().Should().Be("node1");
        group["awsOwner"]!.GetValue<string>().Should().Be("node1");
        group["states"]!["node1"]!.GetValue<string>().Should().Be("Active");
        var monitors = root["monitors"]!.AsArray();
        monitors.Select(m => m!["name"]!.GetValue<string>()).Should().Contain(["awsvipw1", "awsazw1"]);
        monitors.Should().OnlyContain(m => m!["status"] != null && m["node"] != null);
        root["events"]!.AsArray().Should().Contain(e => e!["kind"]!.GetValue<string>() == "GroupActivated" && e["node"]!.GetValue<string>() == "node1");

        // activate on the other node: refused while the cluster runs.
        var activate = await ConsoleRun.RunAsync("activate", "--config", config, "--node", "node2");
        activate.Code.Should().Be(1, activate.Output + activate.Error);
        activate.Error.Should().Contain("node1 and node2 are running").And.Contain("nothing was changed").And.Contain("--force");

        // move: a planned hand-off, done when the group is active on node2; no fencing, no heartbeat timeout.
        var move = await ConsoleRun.RunAsync("move", "--config", config, "--group", "failover1", "--to", "node2");
        move.Code.Should().Be(0, move.Output + move.Error);
        move.Output.Should().Contain("move: failover1 moved from node1 to node2 in ");
        await node2.WaitForAsync("node2: GroupActivated failover1", Wait);
        Console.WriteLine(move.Output.Trim());
        (await OwnerAsync(config)).Should().Be(("node2", "node2"));

        // standby node2 (patching): the group comes back to node1, node2 takes nothing.
        var standby = await ConsoleRun.RunAsync("standby", "--config", config, "--node", "node2");
        standby.Code.Should().Be(0, standby.Output + standby.Error);
        (await OwnerAsync(config)).Should().Be(("node1", "node1"));
        var afterStandby = JsonNode.Parse((await ConsoleRun.RunAsync("status", "--config", config, "--output", "json")).Output)!;
        afterStandby["nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == "node2")!["state"]!.GetValue<string>().Should().Be("standby");
        var refused = await ConsoleRun.RunAsync("move", "--config", config, "--group", "failover1", "--to", "node2");
        refused.Code.Should().Be(1);
        refused.Error.Should().Contain("node2 cannot take failover1").And.Contain("not be on standby");

        // unstandby: node2 may take groups again.
        (await ConsoleRun.RunAsync("unstandby", "--config", config, "--node", "node2")).Code.Should().Be(0);
        (await ConsoleRun.RunAsync("move", "--config", config, "--group", "failover1", "--to", "node2")).Code.Should().Be(0);
        (await OwnerAsync(config)).Should().Be(("node2", "node2"));

        foreach (var node in new[] { node1, node2 })
        {
            node.Log.Should().NotContain("FenceStarted").And.NotContain("HeartbeatLost");
            node.Log.Should().Contain("OperatorCommand node2", "every node's timeline has the standby of node2");
        }

        (await _aws.InstanceStateAsync(Scenario("node1.instanceId"))).Should().Be("running");
        (await _aws.InstanceStateAsync(Scenario("node2.instanceId"))).Should().Be("running");
    }

    [Fact]
    public async Task Maintenance_ARouteChangedByHand_IsNotRepaired_AndNothingFailsOver_UntilItIsOff()
    {
        var config = WriteConfig(j => j["ClusterPro"]!["Monitors"]!["awsvipw1"] = new JsonObject { ["Interval"] = "00:00:01", ["Timeout"] = "00:03:00", ["RetryCount"] = 0 });
        await using var node1 = Run(config, "node1");
        await using var node2 = Run(config, "node2");
        await node1.WaitForAsync("node1: GroupActivated failover1", Wait);
        await node2.WaitForAsync("node2 is running", Wait);
        var table = Scenario("routeTablePrivateA");
        var vip = Scenario("vipCidr");
        await UntilAsync(config, r => r["nodes"]!.AsArray().All(n => n!["state"]!.GetValue<string>() == "up"));

        var on = await ConsoleRun.RunAsync("maintenance", "on", "--config", config);
        on.Code.Should().Be(0, on.Output + on.Error);
        on.Output.Should().Contain("Followed by node1, node2");
        var status = JsonNode.Parse((await ConsoleRun.RunAsync("status", "--config", config, "--output", "json")).Output)!;
        status["cluster"]!["maintenance"]!.GetValue<bool>().Should().BeTrue();
        status["nodes"]!.AsArray().Select(n => n!["state"]!.GetValue<string>()).Should().Equal("maintenance", "maintenance");
        status["monitors"]!.AsArray().Should().OnlyContain(m => m!["status"]!.GetValue<string>() == "Suspended");

        // By hand, as an operator testing something might: the VIP's route now points at node2.
        await ReplaceRouteAsync(table, vip, Scenario("node2.eniId"));
        for (var i = 0; i < 12; i++)
        {
            // Three seconds, three of the VIP monitor's intervals: nobody puts it back.
            (await RouteTargetAsync(table, vip)).Should().Be(Scenario("node2.eniId"), "maintenance pauses the monitors");
            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }

        var off = await ConsoleRun.RunAsync("maintenance", "off", "--config", config);
        off.Code.Should().Be(0, off.Output + off.Error);
        var repaired = false;
        for (var i = 0; i < 80 && !repaired; i++)
        {
            repaired = await RouteTargetAsync(table, vip) == Scenario("node1.eniId");
            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }

        repaired.Should().BeTrue("after maintenance the VIP monitor finds the route and puts it back on node1");
        node1.Log.Should().Contain("node1: OperatorCommand node1: Maintenance on").And.Contain("node1: OperatorCommand node1: Maintenance off");
        node2.Log.Should().Contain("node2: OperatorCommand node2: Maintenance on (");
        foreach (var node in new[] { node1, node2 })
        {
            node.Log.Should().NotContain("GroupHandedOff").And.NotContain("FenceStarted");
        }
    }

    [Fact]
    public async Task Status_OfACleanlyStoppedCluster_IsStopped_NotDrift()
    {
        var config = WriteConfig();
        await using (var node1 = Run(config, "node1"))
        await using (var node2 = Run(config, "node2"))
        {
            await node1.WaitForAsync("node1: GroupActivated failover1", Wait);
            await node2.WaitForAsync("node2 is running", Wait);
            await node2.SignalAsync("TERM");
            (await node2.WaitForExitAsync(Wait)).Should().Be(0);
            await node1.SignalAsync("TERM");
            (await node1.WaitForExitAsync(Wait)).Should().Be(0);
        }

        var table = await ConsoleRun.RunAsync("status", "--config", config);
        var json = await ConsoleRun.RunAsync("status", "--config", config, "--output", "json");

        table.Code.Should().Be(0, table.Output + table.Error);
        table.Output.Should().StartWith("CLUSTER STOPPED: The cluster is stopped: no node runs, and AWS shows every group released.");
        var root = JsonNode.Parse(json.Output)!;
        root["cluster"]!["state"]!.GetValue<string>().Should().Be("stopped");
        root["nodes"]!.AsArray().Select(n => n!["state"]!.GetValue<string>()).Should().Equal("stopped", "stopped");
        root["groups"]![0]!["verdict"]!.GetValue<string>().Should().Be("stopped");
    }

    /// <summary>Asks status until <paramref name="done"/> holds (a real-time bound: the nodes finish their start-up wait).</summary>
    private static async Task UntilAsync(string config, Func<JsonNode, bool> done)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var status = JsonNode.Parse((await ConsoleRun.RunAsync("status", "--config", config, "--output", "json")).Output)!;
            if (done(status))
            {
                return;
            }

            TimeProvider.System.GetElapsedTime(started).Should().BeLessThan(Wait, status.ToJsonString());
            await Task.Delay(TimeSpan.FromMilliseconds(250), TimeProvider.System);
        }
    }

    private async Task<(string? Owner, string? AwsOwner)> OwnerAsync(string config)
    {
        var status = await ConsoleRun.RunAsync("status", "--config", config, "--output", "json");
        var group = JsonNode.Parse(status.Output)!["groups"]![0]!;
        return (group["owner"]?.GetValue<string>(), group["awsOwner"]?.GetValue<string>());
    }

    private string Scenario(string path) => _aws.Scenario(path);

    private string WriteConfig(Action<JsonNode>? edit = null) => _aws.WriteConfig(edit);

    private ChildProcess Run(string config, string node) => ChildProcess.Start(Host, _aws.Environment, "run", "--config", config, "--node", node);

    private async Task ReplaceRouteAsync(string table, string cidr, string eni)
    {
        using var ec2 = _aws.Ec2();
        await ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = table, DestinationCidrBlock = cidr, NetworkInterfaceId = eni });
    }

    private async Task<string?> RouteTargetAsync(string table, string cidr)
    {
        using var ec2 = _aws.Ec2();
        var answer = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [table] });
        return answer.RouteTables[0].Routes.FirstOrDefault(r => r.DestinationCidrBlock == cidr)?.NetworkInterfaceId;
    }
}
