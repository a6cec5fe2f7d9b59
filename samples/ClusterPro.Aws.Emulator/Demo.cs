using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.EC2;
using ClusterPro.Applications.Probing;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Discovery;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Emulator;

/// <summary>
/// The README's main job: the canonical two-node cluster on the in-process AWS emulator. Each node discovers itself
/// from its own IMDSv2, has its own heartbeat port and reaches a loopback HTTP NP target. failover1 (VIP, EIP, DNS,
/// AZ monitor, and a small HTTP service as an exec resource with its http monitor) comes up on node1; a client requests
/// the service through the VIP every 50 ms; node1 then dies, and the timeline of node2's takeover is printed with what
/// the client saw: its longest gap without an answer and its failed requests.
/// </summary>
internal static class Demo
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(TextWriter output)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        void Say(string text) => output.WriteLine($"{clock.GetElapsedTime(started).TotalMilliseconds,8:0} ms  {text}");

        await using var emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, InstanceStopDelay = TimeSpan.FromMilliseconds(300), InstanceForcedStopDelay = TimeSpan.FromMilliseconds(300) });
        var s = emulator.Scenario!;
        Say($"AWS emulator at {emulator.Endpoint} (EC2, Route 53, DNS {emulator.DnsEndpoint}); canonical scenario in {s.Region}: {s.VpcId}, route tables {string.Join(", ", s.VipRouteTables)}");

        using var http = new HttpClient();
        var identities = new Dictionary<string, InstanceIdentity>();
        foreach (var node in new[] { s.Node1, s.Node2 })
        {
            var imds = await emulator.StartInstanceMetadataAsync(node.InstanceId);
            identities[node.Name] = await new InstanceMetadataClient(http, new InstanceMetadataOptions { Endpoint = imds }).GetIdentityAsync();
            var id = identities[node.Name];
            Say($"{node.Name} discovered from its IMDSv2 at {imds}: {id.InstanceId} in {id.AvailabilityZone}, ENI {id.NetworkInterfaceId}, {id.PrivateIp}");
        }

        if (identities["node1"].NetworkInterfaceId != s.Node1.EniId || identities["node2"].NetworkInterfaceId != s.Node2.EniId)
        {
            Say("self-discovery disagrees with the scenario");
            return 1;
        }

        var settings = s.ToClusterConfiguration(new CanonicalClusterSettings
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            HeartbeatTimeout = TimeSpan.FromMilliseconds(1500),
            HeartbeatKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)),
            HeartbeatPorts = new Dictionary<string, int> { ["node1"] = FreeUdpPort(), ["node2"] = FreeUdpPort() },
            NetworkPartitionTarget = emulator.Endpoint,
            NameServer = emulator.DnsEndpoint,
            FenceDelay = TimeSpan.FromMilliseconds(200),
            AzMonitor = true,
            MonitorInterval = TimeSpan.FromSeconds(1),
        });
        var app = DemoApplication.AddTo(settings, Path.Combine(Path.GetTempPath(), $"clusterpro-demo-{Environment.ProcessId}"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var hosts = new InMemoryHostAddressManager();
        var nodes = new Dictionary<string, (ServiceProvider Services, FailoverManager Manager)>();
        foreach (var name in new[] { "node1", "node2" })
        {
            var services = DemoServices.Build(configuration, sc =>
            {
                sc.AddSingleton<IAmazonEC2>(emulator.CreateEc2Client());
                sc.Configure<ClusterProAwsOptions>(o => { o.Route53Endpoint = emulator.Endpoint; o.Route53Credentials = emulator.Credentials; });
                sc.AddSingleton<IHostAddressManagerProvider>(hosts);
            });
            var manager = services.GetRequiredService<ClusterProFactory>().CreateFailoverManager(name);
            nodes[name] = (services, manager);
        }

        var node1 = nodes["node1"].Manager;
        var node2 = nodes["node2"].Manager;
        try
        {
            var up = node1.NextEventAsync(FailoverEventKind.GroupActivated);
            await node1.StartAsync();
            await node2.StartAsync();
            static double Ms(string? value) => TimeSpan.Parse(value!, CultureInfo.InvariantCulture).TotalMilliseconds;
            Say($"node1 and node2 started (UDP heartbeats every {Ms(configuration["ClusterPro:Heartbeat:Interval"])} ms, timeout {Ms(configuration["ClusterPro:Heartbeat:Timeout"])} ms)");
            var activated = await up.WaitAsync(Wait);
            Say($"node1: {activated.Detail}");
            await Until(() => node2.GetView().OwnerOf("failover1") == "node1");
            Say($"node2 sees failover1 active on node1; VIP {s.Vip} routes to {s.Node1.EniId}, EIP {s.EipPublicIp} on node1, {s.RecordName} → {s.Node1.PrivateIp}");

            // node2's own monitor loops say when the group is healthy: each while-active monitor checks as soon as its
            // resource is active there (the DNS monitor after its start wait, which outlasts Route 53 propagation).
            var firstNormal = new System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, MonitorCycleResult Cycle)>();
            var allNormal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (var runner in node2.Monitors)
            {
                runner.CycleCompleted += (_, cycle) =>
                {
                    if (cycle.Monitored && cycle.Check.Status == MonitorStatus.Normal && node2.GetView().OwnerOf("failover1") == "node2"
                        && firstNormal.TryAdd(cycle.MonitorName, (clock.GetUtcNow(), cycle)) && firstNormal.Count == node2.Monitors.Count)
                    {
                        allNormal.TrySetResult();
                    }
                };
            }

            // A client of the application, through the VIP: a request every 50 ms to the node the VIP's route points at
            // (none answers from a machine that is off).
            await using var client = HttpClientProbe.Start(new HttpClientProbeOptions { ResolveUrl = _ => ValueTask.FromResult(app.Url(emulator.Inspect.RouteTarget(s.VipRouteTables[0], s.VipCidr) == s.Node1.EniId ? "node1" : "node2")) });
            await Until(() => client.Report().Succeeded > 0);
            Say($"a client requests {app.Name} through the VIP every 50 ms: {app.Url("node1")} answers");

            var takeover = node2.NextEventAsync(FailoverEventKind.GroupActivated);
            var failure = clock.GetTimestamp();
            var failedAt = clock.GetUtcNow();
            emulator.Drift.StopInstance(s.Node1.InstanceId);
            app.PowerOff("node1");
            await node1.DisposeAsync();
            Say("node1 fails: its instance stops, its heartbeats and its application end");

            var result = await takeover.WaitAsync(Wait);
            await Task.WhenAny(allNormal.Task, Task.Delay(Wait, clock));
            await Until(() => client.Report().AnsweringAtEnd);
            var seen = await client.StopAsync();
            var monitors = firstNormal.Values.OrderBy(m => m.At).ToList();

            var recovered = clock.GetElapsedTime(failure);
            output.WriteLine();
            output.WriteLine("Timeline on node2, in milliseconds since node1 failed:");
            foreach (var e in node2.Events.Where(e => e.Timestamp >= failedAt))
            {
                output.WriteLine($"  +{(e.Timestamp - failedAt).TotalMilliseconds,6:0} ms  {Label(e.Kind),-20} {e.Subject}: {e.Detail}");
            }

            foreach (var (at, cycle) in monitors)
            {
                output.WriteLine($"  +{(at - failedAt).TotalMilliseconds,6:0} ms  {"monitor",-20} {cycle.MonitorName}: {cycle.Check}");
            }

            var routesMoved = s.VipRouteTables.All(t => emulator.Inspect.RouteTarget(t, s.VipCidr) == s.Node2.EniId);
            var eipMoved = emulator.Inspect.AddressTarget(s.EipAllocationId) == s.Node2.EniId;
            var record = emulator.Inspect.Record(s.HostedZoneId, s.RecordName);
            var dnsMoved = record?.Values.SequenceEqual([s.Node2.PrivateIp]) == true;
            var monitorsNormal = allNormal.Task.IsCompleted;
            output.WriteLine();
            output.WriteLine($"VIP routes → node2: {routesMoved}; EIP → node2: {eipMoved}; {s.RecordName} → {record?.Values.FirstOrDefault()}: {dnsMoved}; monitors Normal on node2: {monitorsNormal}");
            output.WriteLine($"The client of {app.Name} saw: {seen}.");
            var healthy = result.Succeeded && routesMoved && eipMoved && dnsMoved && monitorsNormal && seen.AnsweringAtEnd;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Recovery time: {recovered.TotalMilliseconds:0} ms (failure → group healthy on node2). {(healthy ? "failover1 is healthy on node2." : "failover1 is NOT healthy on node2.")}"));
            return healthy ? 0 : 1;
        }
        finally
        {
            await node2.StopAsync(deactivateGroups: false);
            await node2.DisposeAsync();
            app.PowerOff("node1");
            app.PowerOff("node2");
            foreach (var (services, _) in nodes.Values)
            {
                await services.DisposeAsync();
            }
        }
    }

    internal static string Label(FailoverEventKind kind) => kind switch
    {
        FailoverEventKind.HeartbeatLost => "heartbeat lost",
        FailoverEventKind.PartitionVerdict => "NP verdict",
        FailoverEventKind.FenceStarted => "fence started",
        FailoverEventKind.FenceCompleted => "fence completed",
        FailoverEventKind.ResourceActivated => "resource activated",
        FailoverEventKind.GroupActivated => "group activated",
        FailoverEventKind.LeaseAcquired => "lease acquired",
        FailoverEventKind.LeaseLost => "lease lost",
        _ => kind.ToString(),
    };

    internal static async Task Until(Func<bool> condition)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > Wait)
            {
                throw new TimeoutException("The demo did not reach the expected state in 30 s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }

    internal static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    internal static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
