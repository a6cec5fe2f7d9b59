using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
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
    private readonly List<string> _files = [];
    private ChildProcess _emulator = null!;
    private JsonElement _aws;
    private Dictionary<string, string> _environment = null!;

    public async Task InitializeAsync()
    {
        _emulator = ChildProcess.Start("ClusterPro.Aws.Emulator.dll", null, "--port", "0", "--dns-port", "-1", "--scenario", "canonical", "--exit-on-stdin-close");
        await _emulator.WaitForAsync("\"endpoint\"", Wait);
        _aws = JsonDocument.Parse(_emulator.Lines.First(l => l.Contains("\"endpoint\"", StringComparison.Ordinal))).RootElement.Clone();
        _environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = _aws.GetProperty("endpoint").GetString()!,
            ["AWS_ACCESS_KEY_ID"] = _aws.GetProperty("accessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = _aws.GetProperty("secretAccessKey").GetString()!,
            ["AWS_REGION"] = _aws.GetProperty("region").GetString()!,
            ["CLUSTERPRO_HEARTBEAT_KEY"] = "a-shared-secret-of-32-characters",
        };
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }

    private string Scenario(string path) =>
        path.Split('.').Aggregate(_aws.GetProperty("scenario"), (e, name) => e.GetProperty(name)).GetString()!;

    /// <summary>cluster.canonical.json pointed at the emulator's scenario, heartbeats on loopback, the emulator as NP target.</summary>
    private string WriteConfig(Action<JsonNode>? edit = null)
    {
        var json = CanonicalConfigFile.For(_aws.GetProperty("scenario"), new Uri(_aws.GetProperty("endpoint").GetString()!));
        json["ClusterPro"]!["Heartbeat"]!["Endpoints"] = new JsonObject { ["node1"] = $"127.0.0.1:{FreeUdpPort()}", ["node2"] = $"127.0.0.1:{FreeUdpPort()}" };
        edit?.Invoke(json);
        var path = Path.Combine(Path.GetTempPath(), $"clusterpro-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString());
        _files.Add(path);
        return path;
    }

    private ChildProcess Run(string config, string node) => ChildProcess.Start(Host, _environment, "run", "--config", config, "--node", node);

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
        (await InstanceStateAsync(Scenario("node1.instanceId"))).Should().Be("running", "a node that left in order is not fenced");
        Console.WriteLine($"SIG{signal}: failover1 active on node2 {takeover.TotalMilliseconds:0} ms after the signal (heartbeat timeout {HeartbeatTimeout.TotalMilliseconds:0} ms)");
    }

    [Fact]
    public async Task MetricsPort_ServesTheClusterProMeter_AsPrometheusText()
    {
        var config = WriteConfig();
        var port = FreeTcpPort();
        await using var node1 = ChildProcess.Start(Host, _environment, "run", "--config", config, "--node", "node1", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
        await using var node1 = ChildProcess.Start(Host, _environment, "run", "--config", config, "--node", "node1", "--metrics-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

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
        await using var node1 = ChildProcess.Start(Host, new Dictionary<string, string>(_environment) { ["CLUSTERPRO_HEARTBEAT_KEY"] = "short" }, "run", "--config", config, "--node", "node1");

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

    private async Task<string> InstanceStateAsync(string instanceId)
    {
        using var ec2 = new AmazonEC2Client(
            new BasicAWSCredentials(_environment["AWS_ACCESS_KEY_ID"], _environment["AWS_SECRET_ACCESS_KEY"]),
            new AmazonEC2Config { ServiceURL = _environment["AWS_ENDPOINT_URL"], AuthenticationRegion = _environment["AWS_REGION"] });
        var answer = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] });
        return answer.Reservations[0].Instances[0].State.Name.Value;
    }

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
