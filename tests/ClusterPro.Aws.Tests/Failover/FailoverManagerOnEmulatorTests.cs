using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
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
/// The failover manager's real loops with the real AWS resources (VIP, EIP, DNS) and AWS fencing on the emulator, real
/// UDP heartbeats on loopback, and a fake clock the test advances until the expected state is reached.
/// </summary>
public sealed class FailoverManagerOnEmulatorTests : IAsyncLifetime
{
    /// <summary>The step the fake clock advances by.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T00:00:00Z", CultureInfo.InvariantCulture));
    private readonly HeartbeatLedger _ledger = new();
    private readonly InMemoryHostAddressManager _hosts = new();
    private readonly Dictionary<string, (ServiceProvider Services, FailoverManager Manager, CountingHeartbeatTransport Transport)> _nodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _ports = new() { ["node1"] = FreeUdpPort(), ["node2"] = FreeUdpPort() };
    private readonly Recorder _final = new();
    private AwsEmulator _emulator = null!;

    // The emulator runs on real time while the nodes step a fake clock: an instance stop that takes time on the
    // emulator would never be seen by a fencing poll waiting on the fake clock, so stops are instant here.
    public async Task InitializeAsync() =>
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1, InstanceStopDelay = TimeSpan.Zero, InstanceForcedStopDelay = TimeSpan.Zero });

    public async Task DisposeAsync()
    {
        foreach (var (services, manager, _) in _nodes.Values)
        {
            await manager.DisposeAsync();
            await services.DisposeAsync();
        }

        await _emulator.DisposeAsync();
    }

    private FailoverManager Start(string node, INetworkPartitionResolver? resolver = null)
    {
        var s = _emulator.Scenario!;
        var config = new ConfigurationBuilder().AddInMemoryCollection(s.ToClusterConfiguration(new CanonicalClusterSettings
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            HeartbeatTimeout = TimeSpan.FromSeconds(1),
            HeartbeatPorts = _ports,
            FenceDelay = TimeSpan.FromMilliseconds(500),
        })).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton<IAmazonEC2>(_emulator.CreateEc2Client());
        services.Configure<ClusterProAwsOptions>(o => { o.Route53Endpoint = _emulator.Endpoint; o.Route53Credentials = _emulator.Credentials; });
        services.AddSingleton<IHostAddressManagerProvider>(_hosts);
        services.AddSingleton<IFinalActionHandler>(_final);
        services.AddClusterPro(config).AddAwsFromConfiguration(config);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<ClusterProOptions>>().Value;
        var endpoints = options.Heartbeat.Endpoints.ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);
        var transport = new CountingHeartbeatTransport(new UdpHeartbeatTransport(node, endpoints), node, _ledger);
        resolver ??= new HttpNetworkPartitionResolver("http1", new HttpClient(), new HttpPartitionResolverOptions { Host = "127.0.0.1", Port = _emulator.Endpoint.Port, UseTls = false, Path = "/_emulator/health" });
        var manager = provider.GetRequiredService<ClusterProFactory>().CreateFailoverManager(node, transport, [resolver]);
        FailoverManagerTestHooks.RunEffectsInline(manager);
        _nodes[node] = (provider, manager, transport);
        manager.StartAsync().GetAwaiter().GetResult();
        return manager;
    }

    /// <summary>Advances the fake clock in 50 ms steps (heartbeats settled after each) until <paramref name="done"/> holds.</summary>
    private async Task RunUntilAsync(Func<bool> done, TimeSpan limit)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < limit; elapsed += Step)
        {
            if (done())
            {
                return;
            }

            _time.Advance(Step);
            SpinWait.SpinUntil(() => _nodes.Values.All(n => n.Manager.SteppedDown || n.Transport.Down || (n.Transport.Settled() && FailoverManagerTestHooks.HeartbeatParked(n.Manager))), TimeSpan.FromSeconds(10)).Should().BeTrue("every heartbeat sent is processed");

            // AWS calls are real HTTP to the emulator: give an operation in flight a moment of real time to answer.
            SpinWait.SpinUntil(done, TimeSpan.FromMilliseconds(20));
            await Task.Yield();
        }

        done().Should().BeTrue($"the cluster should get there within {limit.TotalSeconds} s of fake time");
    }

    private bool OwnedBy(string eni, string ip)
    {
        var s = _emulator.Scenario!;
        return s.VipRouteTables.All(t => _emulator.Inspect.RouteTarget(t, s.VipCidr, null) == eni)
            && _emulator.Inspect.AddressTarget(s.EipAllocationId) == eni
            && _emulator.Inspect.Record(s.HostedZoneId, s.RecordName)?.Values.SequenceEqual([ip]) == true;
    }

    [Fact]
    public async Task ActiveNodeDies_Node2FencesItAndTakesTheVipEipAndRecord()
    {
        var s = _emulator.Scenario!;
        Start("node1");
        var node2 = Start("node2");
        await RunUntilAsync(() => OwnedBy(s.Node1.EniId, s.Node1.PrivateIp), TimeSpan.FromSeconds(10));

        _emulator.Drift.StopInstance(s.Node1.InstanceId);
        _nodes["node1"].Transport.Down = true;
        await _nodes["node1"].Manager.DisposeAsync();
        await RunUntilAsync(() => OwnedBy(s.Node2.EniId, s.Node2.PrivateIp) && node2.GetView().Groups.Single().LocalState == GroupClaimState.Active, TimeSpan.FromSeconds(15));

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
        var node2 = Start("node2");
        await RunUntilAsync(() => OwnedBy(s.Node1.EniId, s.Node1.PrivateIp), TimeSpan.FromSeconds(10));

        _ledger.Cut("node1", "node2");
        // The final action is handed over just after the node steps down: wait for both.
        await RunUntilAsync(() => node1.SteppedDown && FinalActions() > 0 && OwnedBy(s.Node2.EniId, s.Node2.PrivateIp), TimeSpan.FromSeconds(15));

        (await _hosts.ForNode("node1").ListAsync("eth0")).Should().BeEmpty("node1 removed the VIP from its interface when it stepped down");
        _final.Requests.Should().ContainSingle(r => r.NodeName == "node1").Which.Action.Should().Be(FinalAction.StopClusterServiceAndShutdownOs);
        _emulator.Inspect.InstanceState(s.Node1.InstanceId).Should().Be("stopped", "node2 fenced node1 before taking over");
        node2.GetView().Groups.Single().LocalState.Should().Be(GroupClaimState.Active);
    }

    private int FinalActions()
    {
        lock (_final.Requests)
        {
            return _final.Requests.Count;
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
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
