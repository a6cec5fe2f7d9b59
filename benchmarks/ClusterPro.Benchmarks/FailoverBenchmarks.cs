using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.EC2;
using BenchmarkDotNet.Attributes;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Benchmarks;

/// <summary>
/// End-to-end failover of the demo scenario: node1 holds failover1 (VIP, EIP, DNS) and <see cref="Groups"/> − 1 more
/// groups of one VIP each (its own /32 in the three route tables); it dies; measured from the failure until every group
/// is active on node2 (heartbeat loss, NP, fencing, the activations). UDP heartbeats every timeout/6; every AWS call
/// <see cref="LatencyMs"/> slower.
/// </summary>
public class FailoverBenchmarks
{
    private AwsEmulator _emulator = null!;
    private readonly List<(ServiceProvider Services, FailoverManager Manager)> _nodes = [];
    private TaskCompletionSource _allActive = null!;
    private List<FailoverEvent> _activations = null!;

    /// <summary>The heartbeat timeout.</summary>
    [Params(1500)]
    public int HeartbeatTimeoutMs { get; set; }

    /// <summary>How many groups fail over together.</summary>
    [Params(1, 20, 50)]
    public int Groups { get; set; }

    /// <summary>Added latency per AWS call.</summary>
    [Params(0, 100)]
    public int LatencyMs { get; set; }

    [IterationSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [IterationCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    /// <summary>node1 fails; returns when every group is active on node2.</summary>
    /// <returns>The activations.</returns>
    [Benchmark]
    public async Task<IReadOnlyList<FailoverEvent>> FailureToGroupsActiveOnNode2()
    {
        _emulator.Drift.StopInstance(_emulator.Scenario!.Node1.InstanceId);
        await _nodes[0].Manager.StopAsync(deactivateGroups: false);
        await _allActive.Task.WaitAsync(TimeSpan.FromSeconds(120));
        lock (_activations)
        {
            return _activations.Find(a => !a.Succeeded) is { } failed ? throw new InvalidOperationException(failed.Detail) : _activations.ToList();
        }
    }

    private async Task SetupAsync()
    {
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, InstanceStopDelay = TimeSpan.Zero, InstanceForcedStopDelay = TimeSpan.Zero, Route53PropagationDelay = TimeSpan.Zero, DnsPort = -1 });
        var s = _emulator.Scenario!;
        var timeout = TimeSpan.FromMilliseconds(HeartbeatTimeoutMs);
        var settings = s.ToClusterConfiguration(new CanonicalClusterSettings
        {
            HeartbeatInterval = timeout / 6,
            HeartbeatTimeout = timeout,
            HeartbeatPorts = new Dictionary<string, int> { ["node1"] = FreeUdpPort(), ["node2"] = FreeUdpPort() },
            NetworkPartitionTarget = _emulator.Endpoint,
            FencePollInterval = TimeSpan.FromMilliseconds(50),
        });
        using (var ec2 = _emulator.CreateEc2Client())
        {
            for (var g = 2; g <= Groups; g++)
            {
                var vip = string.Create(CultureInfo.InvariantCulture, $"10.2.{g / 250}.{g % 250 + 1}");
                foreach (var table in s.VipRouteTables)
                {
                    await ec2.CreateRouteAsync(new Amazon.EC2.Model.CreateRouteRequest { RouteTableId = table, DestinationCidrBlock = vip + "/32", NetworkInterfaceId = s.Node1.EniId });
                }

                var resource = $"ClusterPro:Groups:group{g}:Resources:0";
                settings[$"{resource}:Name"] = $"awsvip{g}";
                settings[$"{resource}:Type"] = "awsvip";
                settings[$"{resource}:Ip"] = vip;
                settings[$"{resource}:VpcId"] = s.VpcId;
                settings[$"{resource}:EniId:Nodes:node1"] = s.Node1.EniId;
                settings[$"{resource}:EniId:Nodes:node2"] = s.Node2.EniId;
            }
        }

        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        foreach (var node in new[] { "node1", "node2" })
        {
            var services = new ServiceCollection();
            services.AddSingleton<IAmazonEC2>(_emulator.CreateEc2Client());
            services.Configure<ClusterProAwsOptions>(o => { o.Route53Endpoint = _emulator.Endpoint; o.Route53Credentials = _emulator.Credentials; });
            services.AddClusterPro(config).AddAwsFromConfiguration(config);
            var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IStartupValidator>().Validate();
            _nodes.Add((provider, provider.GetRequiredService<ClusterProFactory>().CreateFailoverManager(node)));
        }

        var (node1, node2) = (_nodes[0].Manager, _nodes[1].Manager);
        await node1.StartAsync();
        await node2.StartAsync();
        var groups = node2.GetView().Groups.Select(g => g.Group).ToList();
        while (!groups.All(g => node2.GetView().OwnerOf(g) == "node1"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        if (LatencyMs > 0)
        {
            _emulator.Faults.AddLatency("*", TimeSpan.FromMilliseconds(LatencyMs));
        }

        _activations = [];
        _allActive = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        node2.Event += (_, e) =>
        {
            if (e.Kind != FailoverEventKind.GroupActivated)
            {
                return;
            }

            lock (_activations)
            {
                _activations.Add(e);
                if (_activations.Count == Groups)
                {
                    _allActive.TrySetResult();
                }
            }
        };
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

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
