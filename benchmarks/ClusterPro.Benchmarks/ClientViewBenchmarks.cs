using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.EC2;
using BenchmarkDotNet.Attributes;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Benchmarks;

/// <summary>
/// What a client of the application sees: the demo's group (VIP, EIP, DNS) plus an HTTP service on the node that holds
/// it; a client that sends a GET every 50 ms to the node the VIP's route points at (a node that is off answers nothing).
/// Measured from the event until the client is answered by node2: an unplanned failure (node1's instance stops and its
/// process ends), a planned stop (SIGTERM: node1 releases in order and hands the group over) and an operator's move.
/// </summary>
public class ClientViewBenchmarks
{
    private static readonly TimeSpan ClientInterval = TimeSpan.FromMilliseconds(50);
    private readonly List<(ServiceProvider Services, FailoverManager Manager)> _nodes = [];
    private readonly Dictionary<string, int> _ports = [];
    private readonly Dictionary<string, HttpListener> _servers = [];
    private AwsEmulator _emulator = null!;
    private HttpClient _client = null!;
    private volatile bool _node1Off;

    /// <summary>How node1 gives the group up.</summary>
    public enum Event
    {
        /// <summary>node1's instance stops and its process ends (kill -9, a power-off).</summary>
        Unplanned,

        /// <summary>node1 stops in order (SIGTERM): it releases the group and hands it to node2.</summary>
        Planned,

        /// <summary>An operator moves the group to node2.</summary>
        Move,
    }

    /// <summary>How node1 gives the group up.</summary>
    [Params(Event.Unplanned, Event.Planned, Event.Move)]
    public Event Kind { get; set; }

    [IterationSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [IterationCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    /// <summary>node1 gives the group up; returns when the client, asking the VIP's node every 50 ms, is answered by node2.</summary>
    /// <returns>How many requests the client sent meanwhile.</returns>
    [Benchmark]
    public async Task<int> EventToClientAnsweredByNode2()
    {
        var node1 = _nodes[0].Manager;
        switch (Kind)
        {
            case Event.Unplanned:
                _node1Off = true;
                _emulator.Drift.StopInstance(_emulator.Scenario!.Node1.InstanceId);
                StopServer("node1");
                await node1.StopAsync(deactivateGroups: false);
                break;
            case Event.Planned:
                _ = node1.StopAsync(deactivateGroups: true);
                break;
            default:
                if (!node1.MoveGroup("failover1", "node2"))
                {
                    throw new InvalidOperationException("node1 refused the move.");
                }

                break;
        }

        var requests = 0;
        var deadline = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(60))
        {
            requests++;
            if (await AnsweredByAsync() == "node2")
            {
                return requests;
            }

            await Task.Delay(ClientInterval, TimeProvider.System);
        }

        throw new TimeoutException("The client was not answered by node2 within 60 s.");
    }

    /// <summary>One request of the client: to the node the VIP's route points at; the node that answered, or null.</summary>
    private async Task<string?> AnsweredByAsync()
    {
        var s = _emulator.Scenario!;
        var node = _emulator.Inspect.RouteTarget(s.VipRouteTables[0], s.VipCidr) == s.Node1.EniId ? "node1" : "node2";
        if (node == "node1" && _node1Off)
        {
            return null;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1), TimeProvider.System);
            var body = await _client.GetStringAsync(new Uri($"http://127.0.0.1:{_ports[node]}/"), timeout.Token);
            return body.Trim();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private async Task SetupAsync()
    {
        _node1Off = false;
        _client = new HttpClient();
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, InstanceStopDelay = TimeSpan.Zero, InstanceForcedStopDelay = TimeSpan.Zero, Route53PropagationDelay = TimeSpan.Zero, DnsPort = -1 });
        var s = _emulator.Scenario!;
        var timeout = TimeSpan.FromMilliseconds(1500);
        var settings = s.ToClusterConfiguration(new CanonicalClusterSettings
        {
            HeartbeatInterval = timeout / 6,
            HeartbeatTimeout = timeout,
            HeartbeatPorts = new Dictionary<string, int> { ["node1"] = FreeUdpPort(), ["node2"] = FreeUdpPort() },
            NetworkPartitionTarget = _emulator.Endpoint,
            FencePollInterval = TimeSpan.FromMilliseconds(50),
        });
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        foreach (var node in new[] { "node1", "node2" })
        {
            _ports[node] = FreeTcpPort();
            var services = new ServiceCollection();
            services.AddSingleton<IAmazonEC2>(_emulator.CreateEc2Client());
            services.Configure<ClusterProAwsOptions>(o => { o.Route53Endpoint = _emulator.Endpoint; o.Route53Credentials = _emulator.Credentials; });
            services.AddClusterPro(config).AddAwsFromConfiguration(config)
                .AddGroupResource("failover1", "app1", _ => new DelegateGroupResource("app1", (ctx, _) => StartServer(ctx.NodeName), (ctx, _) => Task.FromResult(StopServer(ctx.NodeName))));
            var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IStartupValidator>().Validate();
            _nodes.Add((provider, provider.GetRequiredService<ClusterProFactory>().CreateFailoverManager(node)));
        }

        await _nodes[0].Manager.StartAsync();
        await _nodes[1].Manager.StartAsync();
        while (_nodes[1].Manager.GetView().OwnerOf("failover1") != "node1" || await AnsweredByAsync() != "node1"
            || _nodes[1].Manager.GetView().Peer("node1")?.Mode != NodeMode.Running || _nodes[0].Manager.GetView().Peer("node2")?.Mode != NodeMode.Running)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System);
        }
    }

    private Task<ResourceResult> StartServer(string node)
    {
        lock (_servers)
        {
            if (!_servers.ContainsKey(node))
            {
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{_ports[node]}/");
                listener.Start();
                _servers[node] = listener;
                _ = ServeAsync(listener, Encoding.UTF8.GetBytes(node));
            }
        }

        return Task.FromResult(ResourceResult.Success([$"serving on {_ports[node]}"]));
    }

    private ResourceResult StopServer(string node)
    {
        lock (_servers)
        {
            if (_servers.Remove(node, out var listener))
            {
                listener.Close();
            }
        }

        return ResourceResult.Success([$"stopped serving on {_ports[node]}"]);
    }

    private static async Task ServeAsync(HttpListener listener, byte[] body)
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private async Task CleanupAsync()
    {
        foreach (var (services, manager) in _nodes)
        {
            await manager.DisposeAsync();
            await services.DisposeAsync();
        }

        _nodes.Clear();
        foreach (var node in _servers.Keys.ToList())
        {
            StopServer(node);
        }

        _client.Dispose();
        await _emulator.DisposeAsync();
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
