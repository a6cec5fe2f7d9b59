using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using ClusterPro.Applications.Probing;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// The application in the group, end to end: two `clusterpro run` processes on the standalone emulator with a group of a
/// VIP, an exec resource running an HTTP server (python3 -m http.server, one port per node, as two machines would have
/// one address each) and an http monitor. A client probe sends a request every 50 ms to the node the VIP's route points
/// at (nothing answers on a node whose instance is stopped, as fencing leaves it); after `kill -9` of the owner the
/// server answers on the survivor, and after an operator's `move` and after SIGTERM each script was told why it ran.
/// </summary>
public sealed class ApplicationFailoverTests : IAsyncLifetime
{
    private const string Host = "clusterpro.dll";
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "clusterpro-app-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<string, int> _ports = new() { ["node1"] = StandaloneEmulator.FreeTcpPort(), ["node2"] = StandaloneEmulator.FreeTcpPort() };
    private StandaloneEmulator _aws = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "www"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "www", "index.html"), "app1\n");
        _aws = await StandaloneEmulator.StartAsync();
    }

    public async Task DisposeAsync()
    {
        // The servers run in sessions of their own: one whose node was killed outlives it, as a daemon would.
        foreach (var node in _ports.Keys)
        {
            if (File.Exists(Path.Combine(_dir, $"{node}.pid")) && int.TryParse(File.ReadAllText(Path.Combine(_dir, $"{node}.pid")).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                }
                catch (InvalidOperationException)
                {
                }
            }
        }

        await _aws.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [SkippableFact]
    public async Task Kill9OfTheOwner_TheServerAnswersOnTheSurvivor_ToldItIsAFailoverFromNode1()
    {
        Skip.IfNot(File.Exists(Python), $"{Python} runs the HTTP server");
        var config = WriteConfig();
        await using var node1 = Run(config, "node1");
        await using var node2 = Run(config, "node2");
        await node1.WaitForAsync("node1: GroupActivated failover1", Wait);
        await node2.WaitForAsync("node2 is running", Wait);
        (await Eventually(async () => await GetAsync("node1") == HttpStatusCode.OK)).Should().BeTrue("node1 serves");
        await using var vip = await VipOwner.StartAsync(_aws.Environment, Scenario);
        var probe = HttpClientProbe.Start(new HttpClientProbeOptions { ResolveUrl = _ => ValueTask.FromResult(Url(vip.Owner)) });
        (await Eventually(() => Task.FromResult(probe.Report().Succeeded > 0))).Should().BeTrue("the client is answered before the failure");

        await node1.SignalAsync("KILL");
        await node2.WaitForAsync("node2: GroupActivated failover1", Wait);
        (await Eventually(async () => await GetAsync("node2") == HttpStatusCode.OK && vip.Owner == "node2")).Should().BeTrue("the server answers on the survivor, which the VIP's route points at");
        var report = await probe.StopAsync();

        Events("node2").Should().Equal("start failover node1");
        Events("node1").Should().Equal("start start none");
        report.AnsweringAtEnd.Should().BeTrue(report.ToString());
        Console.WriteLine($"kill -9 of the owner: {report}");
    }

    [SkippableFact]
    public async Task Move_ThenSigterm_TheServerFollowsTheGroup_AndEachScriptIsToldWhy()
    {
        Skip.IfNot(File.Exists(Python), $"{Python} runs the HTTP server");
        var config = WriteConfig();
        await using var node1 = Run(config, "node1");
        await using var node2 = Run(config, "node2");
        await node1.WaitForAsync("node1: GroupActivated failover1", Wait);
        await node2.WaitForAsync("node2 is running", Wait);
        (await Eventually(async () => await GetAsync("node1") == HttpStatusCode.OK)).Should().BeTrue("node1 serves");
        await using var vip = await VipOwner.StartAsync(_aws.Environment, Scenario);

        // An operator's move: node1's stop script is told "move" (to node2), node2's start script "move" (from node1).
        var probe = HttpClientProbe.Start(new HttpClientProbeOptions { ResolveUrl = _ => ValueTask.FromResult(Url(vip.Owner)) });
        (await Eventually(() => Task.FromResult(probe.Report().Succeeded > 0))).Should().BeTrue();
        await using (var move = ChildProcess.Start(Host, _aws.Environment, "move", "--config", config, "--group", "failover1", "--to", "node2"))
        {
            (await move.WaitForExitAsync(Wait)).Should().Be(0, move.Log);
        }

        (await Eventually(async () => await GetAsync("node2") == HttpStatusCode.OK && vip.Owner == "node2")).Should().BeTrue();
        var moved = await probe.StopAsync();
        Events("node1").Should().Equal("start start none", "stop move node2");
        Events("node2").Should().Equal("start move node1");
        (await GetAsync("node1")).Should().BeNull("node1's server was stopped by its stop script");

        // SIGTERM of the new owner: a planned stop. Its stop script is told "stop" (to node1), node1's start script "move" (from node2).
        probe = HttpClientProbe.Start(new HttpClientProbeOptions { ResolveUrl = _ => ValueTask.FromResult(Url(vip.Owner)) });
        (await Eventually(() => Task.FromResult(probe.Report().Succeeded > 0))).Should().BeTrue();
        await node2.SignalAsync("TERM");
        (await Eventually(() => Task.FromResult(node1.Log.Split('\n').Count(l => l.Contains("node1: GroupActivated failover1", StringComparison.Ordinal)) == 2)))
            .Should().BeTrue("node1 takes failover1 back");
        (await node2.WaitForExitAsync(Wait)).Should().Be(0, node2.Log);
        (await Eventually(async () => await GetAsync("node1") == HttpStatusCode.OK && vip.Owner == "node1")).Should().BeTrue();
        var stopped = await probe.StopAsync();

        Events("node2").Should().Equal("start move node1", "stop stop node1");
        Events("node1").Should().Equal("start start none", "stop move node2", "start move node2");
        node2.Log.Should().Contain("app1: stop pid ").And.Contain("stopping the server on node2");
        Console.WriteLine($"move: {moved}");
        Console.WriteLine($"SIGTERM of the owner: {stopped}");
    }

    private Uri Url(string? node) =>
        node is null ? new Uri("http://127.0.0.1:1/") : new Uri($"http://127.0.0.1:{_ports[node]}/");

    private string[] Events(string node)
    {
        var file = Path.Combine(_dir, $"{node}.events");
        return File.Exists(file) ? File.ReadAllLines(file) : [];
    }

    private string Scenario(string path) => _aws.Scenario(path);

    private ChildProcess Run(string config, string node) => ChildProcess.Start(Host, _aws.Environment, "run", "--config", config, "--node", node);

    /// <summary>
    /// The canonical configuration on the emulator, its group reduced to the VIP and app1: an exec resource whose service
    /// is the HTTP server (its port from the node it runs on) with a stop script, and an http monitor per node.
    /// </summary>
    private string WriteConfig()
    {
        var server = Path.Combine(_dir, "server.sh");
        File.WriteAllText(server, $"""
            #!/bin/sh
            eval port=\$PORT_$CLUSTERPRO_NODE
            echo "start $CLUSTERPRO_EVENT ${"{"}CLUSTERPRO_PEER:-none{"}"}" >> {_dir}/$CLUSTERPRO_NODE.events
            echo $$ > {_dir}/$CLUSTERPRO_NODE.pid
            exec {Python} -m http.server "$port" --bind 127.0.0.1 --directory {_dir}/www
            """);
        var stop = Path.Combine(_dir, "stop.sh");
        File.WriteAllText(stop, $"""
            #!/bin/sh
            echo "stop $CLUSTERPRO_EVENT ${"{"}CLUSTERPRO_PEER:-none{"}"}" >> {_dir}/$CLUSTERPRO_NODE.events
            echo "stopping the server on $CLUSTERPRO_NODE"
            kill $(cat {_dir}/$CLUSTERPRO_NODE.pid)
            """);
        var json = _aws.ConfigJson();
        var cp = json["ClusterPro"]!;
        var resources = cp["Groups"]!["failover1"]!["Resources"]!.AsArray();
        var vip = resources[0]!.DeepClone();
        resources.Clear();
        resources.Add(vip);
        resources.Add(JsonNode.Parse($$"""
            {
              "Name": "app1", "Type": "exec", "DependsOn": [ "awsvip1" ],
              "Start": [ "/bin/sh", "{{server}}" ], "Stop": [ "/bin/sh", "{{stop}}" ], "Mode": "service", "Timeout": "00:00:10",
              "Environment": { "PORT_node1": "{{_ports["node1"]}}", "PORT_node2": "{{_ports["node2"]}}" }
            }
            """));
        var monitors = cp["Monitors"]!.AsObject();
        monitors.Remove("awseipw1");
        monitors.Remove("awsdnsw1");
        monitors["appw1"] = JsonNode.Parse($$"""
            {
              "Type": "http", "Resource": "app1", "Interval": "00:00:01", "Timeout": "00:00:05", "StartDelay": "00:00:02", "RetryCount": 2,
              "Url": { "Nodes": { "node1": "http://127.0.0.1:{{_ports["node1"]}}/", "node2": "http://127.0.0.1:{{_ports["node2"]}}/" } }
            }
            """);
        var path = Path.Combine(_dir, "cluster.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private async Task<HttpStatusCode?> GetAsync(string node)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(Url(node));
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task<bool> Eventually(Func<Task<bool>> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > Wait)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        return true;
    }

    /// <summary>
    /// Where a client of the VIP gets to: the node whose ENI the VIP's route targets in the emulator, unless that node's
    /// instance is not running (a fenced instance answers nothing). Read every 100 ms.
    /// </summary>
    private sealed class VipOwner : IAsyncDisposable
    {
        private readonly AmazonEC2Client _ec2;
        private readonly Func<string, string> _scenario;
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;
        private volatile string? _owner;

        private VipOwner(AmazonEC2Client ec2, Func<string, string> scenario)
        {
            _ec2 = ec2;
            _scenario = scenario;
        }

        public string? Owner => _owner;

        public static async Task<VipOwner> StartAsync(IReadOnlyDictionary<string, string> environment, Func<string, string> scenario)
        {
            var ec2 = new AmazonEC2Client(
                new BasicAWSCredentials(environment["AWS_ACCESS_KEY_ID"], environment["AWS_SECRET_ACCESS_KEY"]),
                new AmazonEC2Config { ServiceURL = environment["AWS_ENDPOINT_URL"], AuthenticationRegion = environment["AWS_REGION"] });
            var owner = new VipOwner(ec2, scenario);
            await owner.ReadAsync(CancellationToken.None);
            owner._loop = owner.RunAsync();
            return owner;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
            _ec2.Dispose();
        }

        private async Task RunAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, _stop.Token);
                    await ReadAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (AmazonServiceException)
                {
                    // Read again at the next tick.
                }
            }
        }

        private async Task ReadAsync(CancellationToken cancellationToken)
        {
            var tables = await _ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [_scenario("routeTablePrivateA")] }, cancellationToken);
            var eni = tables.RouteTables[0].Routes.FirstOrDefault(r => r.DestinationCidrBlock == "10.1.0.20/32")?.NetworkInterfaceId;
            var node = eni == _scenario("node1.eniId") ? "node1" : eni == _scenario("node2.eniId") ? "node2" : null;
            if (node is not null)
            {
                var instances = await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [_scenario($"{node}.instanceId")] }, cancellationToken);
                node = instances.Reservations[0].Instances[0].State.Name.Value == "running" ? node : null;
            }

            _owner = node;
        }
    }
}
