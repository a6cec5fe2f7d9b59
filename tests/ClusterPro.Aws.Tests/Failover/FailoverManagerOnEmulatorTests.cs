using System.Globalization;
using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Route53;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Partition;
using ClusterPro.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Aws.Tests.Failover;

/// <summary>
/// The failover manager with the real AWS resources (VIP, EIP, DNS) and AWS fencing on the emulator, heartbeats over an
/// in-memory network the test can cut, and a fake clock stepped one heartbeat interval at a time.
/// </summary>
public sealed class FailoverManagerOnEmulatorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T00:00:00Z", CultureInfo.InvariantCulture));
    private readonly InMemoryHeartbeatNetwork _network = new();
    private readonly InMemoryHostAddressManager _hosts = new();
    private readonly Dictionary<string, (ServiceProvider Services, FailoverManager Manager)> _nodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _crashed = new(StringComparer.OrdinalIgnoreCase);
    private readonly Recorder _final = new();
    private AwsEmulator _emulator = null!;

    // The emulator runs on real time while the nodes step a fake clock: an instance stop that takes time on the
    // emulator would never be seen by a fencing poll waiting on the fake clock, so stops are instant here.
    public async Task InitializeAsync() =>
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1, InstanceStopDelay = TimeSpan.Zero, InstanceForcedStopDelay = TimeSpan.Zero });

    public async Task DisposeAsync()
    {
        foreach (var (services, manager) in _nodes.Values)
        {
            await manager.DisposeAsync();
            await services.DisposeAsync();
        }

        await _emulator.DisposeAsync();
    }

    private FailoverManager Start(string node, INetworkPartitionResolver? resolver = null)
    {
        var s = _emulator.Scenario!;
        var config = new ConfigurationBuilder().AddInMemoryCollection(s.ToClusterConfiguration(new CanonicalClusterSettings { HeartbeatTimeout = TimeSpan.FromSeconds(4) })).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IAmazonEC2>(_emulator.CreateEc2Client());
        services.AddSingleton<IAmazonRoute53>(new AmazonRoute53Client(new HttpClient(), new AmazonRoute53Config { ServiceURL = _emulator.Endpoint }, _emulator.Credentials));
        services.AddSingleton<IHostAddressManagerProvider>(_hosts);
        services.AddSingleton<IFinalActionHandler>(_final);
        services.AddClusterPro(config).AddAwsFromConfiguration(config);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        resolver ??= new HttpNetworkPartitionResolver("http1", new HttpClient(), new HttpPartitionResolverOptions { Host = "127.0.0.1", Port = _emulator.Endpoint.Port, UseTls = false, Path = "/_emulator/health" });
        var manager = provider.GetRequiredService<ClusterProFactory>().CreateFailoverManager(node, _network.Join(node), [resolver]);
        _nodes[node] = (provider, manager);
        return manager;
    }

    private async Task StepAsync(int intervals)
    {
        for (var i = 0; i < intervals; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var live = _nodes.Values.Select(n => n.Manager).Where(m => !_crashed.Contains(m.NodeName) && !m.SteppedDown).ToList();
            foreach (var m in live)
            {
                await m.SendHeartbeatAsync();
            }

            foreach (var m in live)
            {
                foreach (var packet in _network.Drain(m.NodeName))
                {
                    m.Receive(packet);
                }
            }

            foreach (var m in live)
            {
                await m.EvaluateAsync();
            }
        }
    }

    private void AssertOwnedBy(string eni, string ip)
    {
        var s = _emulator.Scenario!;
        s.VipRouteTables.Should().OnlyContain(t => _emulator.Inspect.RouteTarget(t, s.VipCidr, null) == eni);
        _emulator.Inspect.AddressTarget(s.EipAllocationId).Should().Be(eni);
        _emulator.Inspect.Record(s.HostedZoneId, s.RecordName)!.Value.Values.Should().Equal(ip);
    }

    [Fact]
    public async Task ActiveNodeDies_Node2FencesItAndTakesTheVipEipAndRecord()
    {
        var s = _emulator.Scenario!;
        Start("node1");
        var node2 = Start("node2");
        await StepAsync(5);
        AssertOwnedBy(s.Node1.EniId, s.Node1.PrivateIp);

        _emulator.Drift.StopInstance(s.Node1.InstanceId);
        _crashed.Add("node1");
        await StepAsync(6);

        AssertOwnedBy(s.Node2.EniId, s.Node2.PrivateIp);
        node2.Events.Select(e => e.Kind).Should().ContainInOrder(
            FailoverEventKind.HeartbeatLost, FailoverEventKind.PartitionVerdict, FailoverEventKind.FenceStarted, FailoverEventKind.FenceCompleted,
            FailoverEventKind.ResourceActivated, FailoverEventKind.ResourceActivated, FailoverEventKind.ResourceActivated, FailoverEventKind.GroupActivated);
        (await _hosts.ForNode("node2").ListAsync("eth0")).Select(a => a.ToString()).Should().Contain(s.Vip);
    }

    [Fact]
    public async Task IsolatedNode_StepsDownAndReleasesItsResources_ThePeerFencesAndTakesOver()
    {
        var s = _emulator.Scenario!;
        var node1 = Start("node1", new Unreachable());
        Start("node2");
        await StepAsync(5);
        AssertOwnedBy(s.Node1.EniId, s.Node1.PrivateIp);

        _network.Cut("node1", "node2");
        await StepAsync(6);

        node1.SteppedDown.Should().BeTrue();
        (await _hosts.ForNode("node1").ListAsync("eth0")).Should().BeEmpty("node1 removed the VIP from its interface when it stepped down");
        _final.Requests.Should().ContainSingle(r => r.NodeName == "node1").Which.Action.Should().Be(FinalAction.StopClusterServiceAndShutdownOs);
        _emulator.Inspect.InstanceState(s.Node1.InstanceId).Should().Be("stopped", "node2 fenced node1 before taking over");
        AssertOwnedBy(s.Node2.EniId, s.Node2.PrivateIp);
    }

    private sealed class Unreachable : INetworkPartitionResolver
    {
        public string Name => "http1";

        public Task<PartitionProbeResult> ProbeAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new PartitionProbeResult(Name, PartitionProbeStatus.Unreachable, "HEAD gave no answer."));
    }

    private sealed class Recorder : IFinalActionHandler
    {
        public List<FinalActionRequest> Requests { get; } = [];

        public Task ExecuteAsync(FinalActionRequest request, CancellationToken cancellationToken = default)
        {
            lock (Requests)
            {
                Requests.Add(request);
            }

            return Task.CompletedTask;
        }
    }
}
