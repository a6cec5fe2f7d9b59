using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.EC2;
using BenchmarkDotNet.Attributes;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Route53;
using ClusterPro.Aws.Testing;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Benchmarks;

/// <summary>
/// End-to-end failover of the demo scenario: node1 holds failover1 (VIP, EIP, DNS); it dies; measured from the failure
/// until the group is active on node2 (heartbeat loss, NP, fencing, three activations). UDP heartbeats every timeout/6.
/// </summary>
public class FailoverBenchmarks
{
    private AwsEmulator _emulator = null!;
    private readonly List<(ServiceProvider Services, FailoverManager Manager)> _nodes = [];
    private Task<FailoverEvent> _takeover = null!;

    [Params(600, 1500)]
    public int HeartbeatTimeoutMs { get; set; }

    [IterationSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [IterationCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark]
    public async Task<FailoverEvent> FailureToGroupActiveOnNode2()
    {
        _emulator.Drift.StopInstance(_emulator.Scenario!.Node1.InstanceId);
        await _nodes[0].Manager.StopAsync(deactivateGroups: false);
        var activated = await _takeover.WaitAsync(TimeSpan.FromSeconds(60));
        return activated.Succeeded ? activated : throw new InvalidOperationException(activated.Detail);
    }

    private async Task SetupAsync()
    {
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, InstanceStopDelay = TimeSpan.Zero, DnsPort = -1 });
        var s = _emulator.Scenario!;
        var timeout = TimeSpan.FromMilliseconds(HeartbeatTimeoutMs);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClusterPro:Nodes:0:Name"] = "node1",
            ["ClusterPro:Nodes:1:Name"] = "node2",
            ["ClusterPro:Heartbeat:Interval"] = (timeout / 6).ToString("c", CultureInfo.InvariantCulture),
            ["ClusterPro:Heartbeat:Timeout"] = timeout.ToString("c", CultureInfo.InvariantCulture),
            ["ClusterPro:Heartbeat:Key"] = "a-shared-secret-of-32-characters",
            ["ClusterPro:Heartbeat:Endpoints:node1"] = $"127.0.0.1:{FreeUdpPort()}",
            ["ClusterPro:Heartbeat:Endpoints:node2"] = $"127.0.0.1:{FreeUdpPort()}",
            ["ClusterPro:NetworkPartition:Http:0:Host"] = "127.0.0.1",
            ["ClusterPro:NetworkPartition:Http:0:Port"] = _emulator.Endpoint.Port.ToString(CultureInfo.InvariantCulture),
            ["ClusterPro:NetworkPartition:Http:0:UseTls"] = "false",
            ["ClusterPro:NetworkPartition:Http:0:Path"] = "/_emulator/health",
            ["ClusterPro:Failover:FenceDelay"] = "00:00:00",
            ["ClusterPro:Fencing:Type"] = "aws",
            ["ClusterPro:Fencing:PollInterval"] = "00:00:00.050",
            ["ClusterPro:Fencing:InstanceId:Nodes:node1"] = s.Node1.InstanceId,
            ["ClusterPro:Fencing:InstanceId:Nodes:node2"] = s.Node2.InstanceId,
            ["ClusterPro:Groups:failover1:Resources:0:Name"] = "awsvip1",
            ["ClusterPro:Groups:failover1:Resources:0:Type"] = "awsvip",
            ["ClusterPro:Groups:failover1:Resources:0:Ip"] = s.Vip,
            ["ClusterPro:Groups:failover1:Resources:0:VpcId"] = s.VpcId,
            ["ClusterPro:Groups:failover1:Resources:0:EniId:Nodes:node1"] = s.Node1.EniId,
            ["ClusterPro:Groups:failover1:Resources:0:EniId:Nodes:node2"] = s.Node2.EniId,
            ["ClusterPro:Groups:failover1:Resources:1:Name"] = "awseip1",
            ["ClusterPro:Groups:failover1:Resources:1:Type"] = "awseip",
            ["ClusterPro:Groups:failover1:Resources:1:AllocationId"] = s.EipAllocationId,
            ["ClusterPro:Groups:failover1:Resources:1:EniId:Nodes:node1"] = s.Node1.EniId,
            ["ClusterPro:Groups:failover1:Resources:1:EniId:Nodes:node2"] = s.Node2.EniId,
            ["ClusterPro:Groups:failover1:Resources:2:Name"] = "awsdns1",
            ["ClusterPro:Groups:failover1:Resources:2:Type"] = "awsdns",
            ["ClusterPro:Groups:failover1:Resources:2:HostedZoneId"] = s.HostedZoneId,
            ["ClusterPro:Groups:failover1:Resources:2:RecordName"] = s.RecordName,
            ["ClusterPro:Groups:failover1:Resources:2:Ip:Nodes:node1"] = s.Node1.PrivateIp,
            ["ClusterPro:Groups:failover1:Resources:2:Ip:Nodes:node2"] = s.Node2.PrivateIp,
        }).Build();
        var hosts = new InMemoryHostAddressManager();
        foreach (var node in new[] { "node1", "node2" })
        {
            var services = new ServiceCollection();
            services.AddSingleton<IAmazonEC2>(_emulator.CreateEc2Client());
            services.AddSingleton<IAmazonRoute53>(new AmazonRoute53Client(new HttpClient(), new AmazonRoute53Config { ServiceURL = _emulator.Endpoint }, _emulator.Credentials));
            services.AddSingleton<IHostAddressManagerProvider>(hosts);
            services.AddClusterPro(config).AddAwsFromConfiguration(config);
            var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IStartupValidator>().Validate();
            _nodes.Add((provider, provider.GetRequiredService<ClusterProFactory>().CreateFailoverManager(node)));
        }

        var (node1, node2) = (_nodes[0].Manager, _nodes[1].Manager);
        var up = Next(node1, FailoverEventKind.GroupActivated);
        await node1.StartAsync();
        await node2.StartAsync();
        await up.WaitAsync(TimeSpan.FromSeconds(60));
        while (node2.Membership.Last("node1")?.ActiveGroups.Contains("failover1") != true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        _takeover = Next(node2, FailoverEventKind.GroupActivated);
    }

    private async Task CleanupAsync()
    {
        foreach (var (services, manager) in _nodes)
        {
            await manager.DisposeAsync();
            await services.DisposeAsync();
        }

        _nodes.Clear();
        await _emulator.DisposeAsync();
    }

    private static Task<FailoverEvent> Next(FailoverManager manager, FailoverEventKind kind)
    {
        var next = new TaskCompletionSource<FailoverEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        manager.Event += (_, e) =>
        {
            if (e.Kind == kind)
            {
                next.TrySetResult(e);
            }
        };
        return next.Task;
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
