using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// `run` as the real process an operator or systemd starts: two nodes on the standalone emulator (also a process), UDP
/// heartbeats on loopback, the shipped example configuration. A signal stops a node in order; a bad configuration is an
/// exit code and one line per problem.
/// </summary>
public sealed class NodeProcessTests : IAsyncLifetime
{
    private const string Host = "clusterpro.dll";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(5);
    private StandaloneEmulator _aws = null!;

    public async Task InitializeAsync() => _aws = await StandaloneEmulator.StartAsync();

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    private string Scenario(string path) => _aws.Scenario(path);

    /// <summary>cluster.canonical.json pointed at the emulator's scenario, heartbeats on loopback, the emulator as NP target.</summary>
    private string WriteConfig(Action<JsonNode>? edit = null) => _aws.WriteConfig(edit);

    private ChildProcess Run(string config, string node) => ChildProcess.Start(Host, _aws.Environment, "run", "--config", config, "--node", node);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Signal_StopsTheActiveNodeInOrder_ThePeerTakesOverAtOnce_WithoutFencing_AndTheProcessExits0(string signal)
    {
        var config = WriteConfig();
        await using var node1 = Run(config, "node1");
        await using var node2 = Run(config, "node2");
        await node1.WaitForAsync("node1: GroupActivated failover1", Wait);
        await node2.WaitForAsync("node2 is running", Wait);

        var sent = TimeProvider.System.GetTimestamp();
        await node1.SignalAsync(signal);
        var taken = await node2.WaitForAsync("node2: GroupActivated failover1", Wait);
        var exit = await node1.WaitForExitAsync(Wait);

        var takeover = TimeProvider.System.GetElapsedTime(sent, taken);
        exit.Should().Be(0, node1.Output + node1.Error);
        node2.Log.Should().Contain("node2: PeerLeft node1").And.NotContain("FenceStarted").And.NotContain("HeartbeatLost");
        node1.Log.Should().Contain("node1: planned stop done in").And.Contain("node1: Stopped node1");
        node1.Log.Split('\n').Count(l => l.Contains("node1: GroupActivated failover1", StringComparison.Ordinal)).Should().Be(1, "each event is printed once");
        node1.Output.Should().BeEmpty("a node's log lines are on standard error");
        node1.Error.Should().NotContain("fail:").And.NotContain("crit:");
        (await _aws.InstanceStateAsync(Scenario("node1.instanceId"))).Should().Be("running", "a node that left in order is not fenced");
        Console.WriteLine($"SIG{signal}: failover1 active on node2 {takeover.TotalMilliseconds:0} ms after the signal (heartbeat timeout {HeartbeatTimeout.TotalMilliseconds:0} ms)");
    }

    [Fact]
    public async Task MetricsPort_ServesTheClusterProMeter_AsPrometheusText()
    {
        var config = WriteConfig();
        var port = StandaloneEmulator.FreeTcpPort();
        await using var node1 = ChildProcess.Start(Host, _aws.Environment, "run", "--config", config, "--node", "node1", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await node1.WaitForAsync("node1: GroupActivated failover1", Wait);

        // What Prometheus does: GET /metrics and read the text exposition format.
        using var http = new HttpClient();
        var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));

        text.Should().Contain("# TYPE clusterpro_resource_activations_total counter");
        text.Should().MatchRegex("clusterpro_resource_activations_total\\{[^}]*resource=\"awsvip1\"[^}]*\\} 1\\b", "node1 activated the VIP once");
        text.Should().MatchRegex("clusterpro_group_operation_duration_seconds_count\\{[^}]*group=\"failover1\"[^}]*operation=\"activate\"[^}]*\\} 1\\b", "durations in seconds, labels lower-case");
        text.Should().Contain("clusterpro_monitor_checks_total{", "the while-active monitors checked once the group was up");
        text.Should().MatchRegex("clusterpro_group_active\\{[^}]*group=\"failover1\"[^}]*\\} 1\\b", "failover1 is active on node1");
        text.Should().MatchRegex("clusterpro_peer_up\\{[^}]*peer=\"node2\"[^}]*\\} 0\\b", "node2 was never started");
        text.Should().MatchRegex("clusterpro_monitor_status\\{[^}]*monitor=\"awsvipw1\"[^}]*\\} 0\\b", "the VIP monitor is normal");
        text.Should().Contain("service_name=\"clusterpro\"").And.NotContain("unknown_service");
        text.Should().NotMatchRegex("(status|outcome|operation|step|reason)=\"[^\"]*[A-Z]", "one spelling per label value: lower-case");
    }

    [Fact]
    public async Task MetricsPortInUse_EndsTheProcess_BeforeTheNodeJoins()
    {
        var config = WriteConfig();
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var node1 = ChildProcess.Start(Host, _aws.Environment, "run", "--config", config, "--node", "node1", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var exit = await node1.WaitForExitAsync(Wait);

        exit.Should().NotBe(0, node1.Output + node1.Error);
        node1.Error.Should().Contain("run failed: InvalidOperationException: PrometheusExporter HttpListener could not be started").And.NotContain("   at ").And.NotContain("Hosting failed to start");
        node1.Log.Should().NotContain("node1 is running", "the listener starts before the node, so a node that cannot serve its metrics never joins (and is never fenced as a lost peer)")
            .And.NotContain("GroupActivated");
    }

    [Fact]
    public async Task TruncatedConfigFile_Exits64_NamingTheFileLineAndColumn_WithoutAStackTrace()
    {
        var config = WriteConfig();
        var text = await File.ReadAllTextAsync(config);
        await File.WriteAllTextAsync(config, "{\n" + text[1..(text.Length / 2)]);
        await using var node1 = Run(config, "node1");

        var exit = await node1.WaitForExitAsync(Wait);

        exit.Should().Be(64);
        node1.Error.Should().StartWith("The configuration has 1 problem; nothing was started and AWS was not touched:")
            .And.Contain($"{config}: line 2, column ").And.Contain("the file is not valid JSON").And.NotContain("   at ");
    }

    [Fact]
    public async Task SeveralBadSettings_Exit64_EachProblemOnce_CoreAndAws_WithoutAStackTrace()
    {
        var config = WriteConfig(j =>
        {
            var cp = j["ClusterPro"]!;
            cp["Heartbeat"]!["Timeout"] = "-00:00:05";
            cp["Groups"]!["failover1"]!["Resources"]![0]!["Ip"] = "10.0.5.300";
            cp["Groups"]!["failover1"]!["Resources"]![0]!["VpcId"] = "vpc-xyz";
            cp["Groups"]!["failover1"]!["Resources"]![1]!["AllocationId"] = "";
            cp["Monitors"]!["awsvipw1"]!["RetryCount"] = -5;
        });
        await using var node1 = ChildProcess.Start(Host, new Dictionary<string, string>(_aws.Environment) { ["CLUSTERPRO_HEARTBEAT_KEY"] = "short" }, "run", "--config", config, "--node", "node1");

        var exit = await node1.WaitForExitAsync(Wait);

        exit.Should().Be(64);
        var problems = node1.Error.Split(Environment.NewLine).Skip(1).ToList();
        node1.Error.Should().StartWith($"The configuration has {problems.Count} problems;").And.NotContain("   at ").And.NotContain("Exception");
        problems.Should().OnlyHaveUniqueItems().And.HaveCount(6).And.Contain(
        [
            "  ClusterPro:Heartbeat:Timeout is -00:00:05; use a positive time span such as \"00:00:30\".",
            "  ClusterPro:Monitors:awsvipw1:RetryCount is -5; use a value from 0 to 999.",
            "  ClusterPro:Groups:failover1:Resources:awsvip1:Ip is '10.0.5.300', which is not an IP address; use an IPv4 address such as 10.1.0.20.",
            "  ClusterPro:Groups:failover1:Resources:awsvip1:VpcId is 'vpc-xyz', which is not a vpc ID; use the form vpc-0123456789abcdef0 (vpc- and at least 8 lower-case hex digits), as the AWS console shows it.",
        ]);
        problems.Should().Contain(p => p.StartsWith("  ClusterPro:Heartbeat:Key is shorter than 16 characters", StringComparison.Ordinal))
            .And.Contain(p => p.StartsWith("  ClusterPro:Groups:failover1:Resources:awseip1:AllocationId is empty", StringComparison.Ordinal));
    }
}
