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
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, InstanceStopDelay = TimeSpan.Zero, InstanceForcedStopDelay = TimeSpan.Zero, Route53PropagationDelay = TimeSpan.Zero, DnsPort = -1 });
        var s = _emulator.Scenario!;
        var timeout = TimeSpan.FromMilliseconds(HeartbeatTimeoutMs);
        var config = new ConfigurationBuilder().AddInMemoryCollection(s.ToClusterConfiguration(new CanonicalClusterSettings
        {
            HeartbeatInterval = timeout / 6,
            HeartbeatTimeout = timeout,
            HeartbeatPorts = new Dictionary<string, int> { ["node1"] = FreeUdpPort(), ["node2"] = FreeUdpPort() },
            NetworkPartitionTarget = _emulator.Endpoint,
            FencePollInterval = TimeSpan.FromMilliseconds(50),
        })).Build();
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
        var up = node1.NextEventAsync(FailoverEventKind.GroupActivated);
        await node1.StartAsync();
        await node2.StartAsync();
        await up.WaitAsync(TimeSpan.FromSeconds(60));
        while (node2.GetView().OwnerOf("failover1") != "node1")
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }

        _takeover = node2.NextEventAsync(FailoverEventKind.GroupActivated);
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
