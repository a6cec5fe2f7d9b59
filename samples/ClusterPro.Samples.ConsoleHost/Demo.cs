using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.EC2;
using ClusterPro.Aws.Discovery;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Route53;
using ClusterPro.Aws.Testing;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Monitoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// The README's main job: the canonical two-node cluster on the in-process AWS emulator. Each node discovers itself
/// from its own IMDSv2, has its own heartbeat port and reaches a loopback HTTP NP target. failover1 (VIP, EIP, DNS,
/// AZ monitor) comes up on node1; node1 then dies, and the timeline of node2's takeover is printed.
/// </summary>
internal static class Demo
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(TextWriter output)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        void Say(string text) => output.WriteLine($"{clock.GetElapsedTime(started).TotalMilliseconds,8:0} ms  {text}");

        await using var emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, InstanceStopDelay = TimeSpan.FromMilliseconds(300) });
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

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Configuration(emulator, identities)).Build();
        var hosts = new InMemoryHostAddressManager();
        var nodes = new Dictionary<string, (ServiceProvider Services, FailoverManager Manager)>();
        foreach (var name in new[] { "node1", "node2" })
        {
            var services = NodeServices.Build(configuration, LogLevel.Critical, sc =>
            {
                sc.AddSingleton<IAmazonEC2>(emulator.CreateEc2Client());
                sc.AddSingleton<IAmazonRoute53>(new AmazonRoute53Client(new HttpClient(), new AmazonRoute53Config { ServiceURL = emulator.Endpoint }, emulator.Credentials));
                sc.AddSingleton<IHostAddressManagerProvider>(hosts);
            });
            var manager = services.GetRequiredService<ClusterProFactory>().CreateFailoverManager(name);
            nodes[name] = (services, manager);
        }

        var node1 = nodes["node1"].Manager;
        var node2 = nodes["node2"].Manager;
        try
        {
            var up = Next(node1, FailoverEventKind.GroupActivated);
            await node1.StartAsync();
            await node2.StartAsync();
            Say($"node1 and node2 started (heartbeats every {configuration["ClusterPro:Heartbeat:Interval"]}, timeout {configuration["ClusterPro:Heartbeat:Timeout"]})");
            var activated = await up.WaitAsync(Wait);
            Say($"node1: {activated.Detail}");
            await Until(() => node2.Membership.Last("node1")?.ActiveGroups.Contains("failover1") == true);
            Say($"node2 sees failover1 active on node1; VIP {s.Vip} routes to {s.Node1.EniId}, EIP {s.EipPublicIp} on node1, {s.RecordName} → {s.Node1.PrivateIp}");

            var takeover = Next(node2, FailoverEventKind.GroupActivated);
            var failure = clock.GetTimestamp();
            var failedAt = clock.GetUtcNow();
            emulator.Drift.StopInstance(s.Node1.InstanceId);
            await node1.DisposeAsync();
            Say("node1 fails: its instance stops and its heartbeats end");

            var result = await takeover.WaitAsync(Wait);
            var monitors = new List<(DateTimeOffset At, MonitorCycleResult Cycle)>();
            foreach (var runner in node2.Monitors)
            {
                var cycle = await runner.RunCycleAsync();
                monitors.Add((clock.GetUtcNow(), cycle));
            }

            var recovered = clock.GetElapsedTime(failure);
            output.WriteLine();
            output.WriteLine("Timeline on node2, in milliseconds since node1 failed:");
            foreach (var e in node2.Events.Where(e => e.Timestamp >= failedAt))
            {
                output.WriteLine($"  +{(e.Timestamp - failedAt).TotalMilliseconds,6:0} ms  {Label(e.Kind),-20} {e.Subject}: {e.Detail}");
            }

            foreach (var (at, cycle) in monitors)
            {
                output.WriteLine($"  +{(at - failedAt).TotalMilliseconds,6:0} ms  {"monitor",-20} {cycle.MonitorName}: {cycle.Reported}");
            }

            var routesMoved = s.VipRouteTables.All(t => emulator.Inspect.RouteTarget(t, s.VipCidr) == s.Node2.EniId);
            var eipMoved = emulator.Inspect.AddressTarget(s.EipAllocationId) == s.Node2.EniId;
            var record = emulator.Inspect.Record(s.HostedZoneId, s.RecordName);
            var dnsMoved = record?.Values.SequenceEqual([s.Node2.PrivateIp]) == true;
            var monitorsNormal = monitors.All(m => m.Cycle.Reported.Status == MonitorStatus.Normal);
            output.WriteLine();
            output.WriteLine($"VIP routes → node2: {routesMoved}; EIP → node2: {eipMoved}; {s.RecordName} → {record?.Values.FirstOrDefault()}: {dnsMoved}; monitors Normal on node2: {monitorsNormal}");
            var healthy = result.Succeeded && routesMoved && eipMoved && dnsMoved && monitorsNormal;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Recovery time: {recovered.TotalMilliseconds:0} ms (failure → group healthy on node2). {(healthy ? "failover1 is healthy on node2." : "failover1 is NOT healthy on node2.")}"));
            return healthy ? 0 : 1;
        }
        finally
        {
            await node2.StopAsync(deactivateGroups: false);
            await node2.DisposeAsync();
            foreach (var (services, _) in nodes.Values)
            {
                await services.DisposeAsync();
            }
        }
    }

    private static string Label(FailoverEventKind kind) => kind switch
    {
        FailoverEventKind.HeartbeatLost => "heartbeat lost",
        FailoverEventKind.PartitionVerdict => "NP verdict",
        FailoverEventKind.FenceStarted => "fence started",
        FailoverEventKind.FenceCompleted => "fence completed",
        FailoverEventKind.ResourceActivated => "resource activated",
        FailoverEventKind.GroupActivated => "group activated",
        _ => kind.ToString(),
    };

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

    private static async Task Until(Func<bool> condition)
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

    private static Dictionary<string, string?> Configuration(AwsEmulator emulator, Dictionary<string, InstanceIdentity> ids)
    {
        var s = emulator.Scenario!;
        var c = new Dictionary<string, string?>
        {
            ["ClusterPro:Nodes:0:Name"] = "node1",
            ["ClusterPro:Nodes:1:Name"] = "node2",
            ["ClusterPro:Heartbeat:Interval"] = "00:00:00.250",
            ["ClusterPro:Heartbeat:Timeout"] = "00:00:01.500",
            ["ClusterPro:Heartbeat:Key"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)),
            ["ClusterPro:Heartbeat:Endpoints:node1"] = $"127.0.0.1:{FreeUdpPort()}",
            ["ClusterPro:Heartbeat:Endpoints:node2"] = $"127.0.0.1:{FreeUdpPort()}",
            ["ClusterPro:NetworkPartition:Http:0:Host"] = "127.0.0.1",
            ["ClusterPro:NetworkPartition:Http:0:Port"] = emulator.Endpoint.Port.ToString(CultureInfo.InvariantCulture),
            ["ClusterPro:NetworkPartition:Http:0:UseTls"] = "false",
            ["ClusterPro:NetworkPartition:Http:0:Path"] = "/_emulator/health",
            ["ClusterPro:NetworkPartition:Http:0:Timeout"] = "00:00:02",
            ["ClusterPro:Failover:FenceDelay"] = "00:00:00.200",
            ["ClusterPro:Fencing:Type"] = "aws",
            ["ClusterPro:Fencing:PollInterval"] = "00:00:00.100",
            ["ClusterPro:Fencing:AwsCallTimeout"] = "00:00:10",
            ["ClusterPro:Groups:failover1:Resources:0:Name"] = "awsvip1",
            ["ClusterPro:Groups:failover1:Resources:0:Type"] = "awsvip",
            ["ClusterPro:Groups:failover1:Resources:0:Ip"] = s.Vip,
            ["ClusterPro:Groups:failover1:Resources:0:VpcId"] = s.VpcId,
            ["ClusterPro:Groups:failover1:Resources:0:AwsCallTimeout"] = "00:00:10",
            ["ClusterPro:Groups:failover1:Resources:1:Name"] = "awseip1",
            ["ClusterPro:Groups:failover1:Resources:1:Type"] = "awseip",
            ["ClusterPro:Groups:failover1:Resources:1:AllocationId"] = s.EipAllocationId,
            ["ClusterPro:Groups:failover1:Resources:1:AwsCallTimeout"] = "00:00:10",
            ["ClusterPro:Groups:failover1:Resources:2:Name"] = "awsdns1",
            ["ClusterPro:Groups:failover1:Resources:2:Type"] = "awsdns",
            ["ClusterPro:Groups:failover1:Resources:2:HostedZoneId"] = s.HostedZoneId,
            ["ClusterPro:Groups:failover1:Resources:2:RecordName"] = s.RecordName,
            ["ClusterPro:Groups:failover1:Resources:2:Ttl"] = "60",
            ["ClusterPro:Groups:failover1:Resources:2:NameServers:0"] = emulator.DnsEndpoint!.ToString(),
            ["ClusterPro:Groups:failover1:Resources:2:AwsCallTimeout"] = "00:00:10",
            ["ClusterPro:Monitors:awsazw1:Type"] = "awsazw",
            ["ClusterPro:Monitors:awsazw1:AwsCallTimeout"] = "00:00:10",
        };
        foreach (var (node, id) in ids)
        {
            c[$"ClusterPro:Groups:failover1:Resources:0:EniId:Nodes:{node}"] = id.NetworkInterfaceId;
            c[$"ClusterPro:Groups:failover1:Resources:1:EniId:Nodes:{node}"] = id.NetworkInterfaceId;
            c[$"ClusterPro:Groups:failover1:Resources:2:Ip:Nodes:{node}"] = id.PrivateIp;
            c[$"ClusterPro:Monitors:awsazw1:AvailabilityZone:Nodes:{node}"] = id.AvailabilityZone;
            c[$"ClusterPro:Fencing:InstanceId:Nodes:{node}"] = id.InstanceId;
            c[$"ClusterPro:HostAddresses:{node}:Kind"] = "memory";
        }

        foreach (var monitor in new[] { "awsvipw1", "awseipw1", "awsdnsw1", "awsazw1" })
        {
            c[$"ClusterPro:Monitors:{monitor}:Interval"] = "00:00:01";
            c[$"ClusterPro:Monitors:{monitor}:Timeout"] = "00:00:15";
        }

        return c;
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
