using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.Aws.Witness;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Witness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Emulator;

/// <summary>
/// <c>demo --witness</c>: the canonical two-node cluster without fencing, with the DynamoDB witness on the in-process
/// emulator. failover1 comes up on node1; then the nodes' heartbeats are split (each thinks the other is gone, both still
/// reach the NP target), and the witness keeps the group on node1 alone; then node1 dies, and node2 takes the lease once
/// it has run out and activates.
/// </summary>
internal static class WitnessDemo
{
    private const string Table = "clusterpro-witness";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(TextWriter output)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        void Say(string text) => output.WriteLine($"{clock.GetElapsedTime(started).TotalMilliseconds,8:0} ms  {text}");

        await using var emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, InstanceStopDelay = TimeSpan.FromMilliseconds(300), InstanceForcedStopDelay = TimeSpan.FromMilliseconds(300) });
        var s = emulator.Scenario!;
        using var dynamo = emulator.CreateDynamoDbClient();
        var setup = await DynamoDbWitnessTable.EnsureAsync(dynamo, Table);
        Say($"AWS emulator at {emulator.Endpoint} (EC2, Route 53, DynamoDB); {setup.Detail}");

        var settings = s.ToClusterConfiguration(new CanonicalClusterSettings
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            HeartbeatTimeout = TimeSpan.FromMilliseconds(1500),
            HeartbeatKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)),
            HeartbeatPorts = new Dictionary<string, int> { ["node1"] = Demo.FreeUdpPort(), ["node2"] = Demo.FreeUdpPort() },
            NetworkPartitionTarget = emulator.Endpoint,
            NameServer = emulator.DnsEndpoint,
            MonitorInterval = TimeSpan.FromSeconds(1),
        }).ToDictionary(e => e.Key, e => e.Value, StringComparer.OrdinalIgnoreCase);

        // No fencing: the witness alone keeps the group on one node.
        foreach (var key in settings.Keys.Where(k => k.StartsWith("ClusterPro:Fencing:", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            settings.Remove(key);
        }

        settings["ClusterPro:Witness:Type"] = "dynamodb";
        settings["ClusterPro:Witness:Table"] = Table;
        settings["ClusterPro:Witness:LeaseDuration"] = LeaseDuration.ToString("c", CultureInfo.InvariantCulture);
        settings["ClusterPro:Witness:AwsCallTimeout"] = "00:00:00.5";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var split = new SplitSwitch();
        var hosts = new InMemoryHostAddressManager();
        var nodes = new Dictionary<string, (ServiceProvider Services, FailoverManager Manager)>();
        foreach (var name in new[] { "node1", "node2" })
        {
            var services = DemoServices.Build(configuration, sc =>
            {
                sc.AddSingleton<IAmazonEC2>(emulator.CreateEc2Client());
                sc.AddSingleton<IAmazonDynamoDB>(emulator.CreateDynamoDbClient());
                sc.Configure<ClusterProAwsOptions>(o => { o.Route53Endpoint = emulator.Endpoint; o.Route53Credentials = emulator.Credentials; });
                sc.AddSingleton<IHostAddressManagerProvider>(hosts);
            });
            var factory = services.GetRequiredService<ClusterProFactory>();
            var transport = new SplittableTransport(new UdpHeartbeatTransport(name, factory.Options.Heartbeat.Endpoints.AsReadOnly()), split);
            nodes[name] = (services, factory.CreateFailoverManager(name, transport));
        }

        var node1 = nodes["node1"].Manager;
        var node2 = nodes["node2"].Manager;
        var leases = nodes["node1"].Services.GetRequiredService<IGroupLeaseStore>();
        async Task<string> Lease()
        {
            var read = await leases.ReadAsync("failover1");
            return read.Record is { } r ? $"lease of failover1: owner {r.Owner ?? "(none)"}, epoch {r.Epoch}" : $"lease of failover1: {read.Detail}";
        }

        var node2Activations = 0;
        node2.Event += (_, e) =>
        {
            if (e.Kind == FailoverEventKind.GroupActivated)
            {
                Interlocked.Increment(ref node2Activations);
            }
        };

        try
        {
            var up = node1.NextEventAsync(FailoverEventKind.GroupActivated);
            await node1.StartAsync();
            Say($"node1: {(await up.WaitAsync(Wait)).Detail}");
            await node2.StartAsync();
            await Demo.Until(() => node2.GetView().OwnerOf("failover1") == "node1");
            Say($"node2 started and sees failover1 on node1; {await Lease()}");

            var splitAt = clock.GetUtcNow();
            var lost1 = node1.NextEventAsync(FailoverEventKind.HeartbeatLost);
            var lost2 = node2.NextEventAsync(FailoverEventKind.HeartbeatLost);
            split.Cut = true;
            Say("heartbeats split: neither node hears the other, both still reach the NP target, there is no fencing");
            await Task.WhenAll(lost1, lost2).WaitAsync(Wait);

            // Long enough for node2 to judge the lease expired if node1 stopped renewing it: node1 renews, so it never does.
            await Task.Delay(LeaseDuration * 2, clock);
            var owners = new[] { node1, node2 }.Where(n => n.GetView().Groups.Any(g => g.Group == "failover1" && g.LocalState is GroupClaimState.Active or GroupClaimState.Activating)).Select(n => n.NodeName).ToList();
            var awsOnNode1 = PointsAt(emulator, s, s.Node1);
            output.WriteLine();
            output.WriteLine($"During the split ({(clock.GetUtcNow() - splitAt).TotalSeconds:0.0} s, twice the {LeaseDuration.TotalSeconds:0} s lease), in milliseconds since it began:");
            foreach (var (node, e) in new[] { ("node1", node1), ("node2", node2) }.SelectMany(n => n.Item2.Events.Where(e => e.Timestamp >= splitAt).Select(e => (n.Item1, e))).OrderBy(x => x.e.Timestamp))
            {
                output.WriteLine($"  +{(e.Timestamp - splitAt).TotalMilliseconds,6:0} ms  {node}  {Demo.Label(e.Kind),-20} {e.Subject}: {e.Detail}");
            }

            output.WriteLine();
            Say($"holders of failover1 by their own account: {string.Join(", ", owners)}; VIP, EIP and record point at node1: {awsOnNode1}; {await Lease()}");
            var oneOwner = owners.SequenceEqual(["node1"]) && awsOnNode1 && Volatile.Read(ref node2Activations) == 0;

            var takeover = node2.NextEventAsync(FailoverEventKind.GroupActivated);
            var failure = clock.GetTimestamp();
            emulator.Drift.StopInstance(s.Node1.InstanceId);
            await node1.DisposeAsync();
            Say("node1 fails: its instance stops, its heartbeats and lease renewals end");
            var result = await takeover.WaitAsync(Wait);
            var takeoverTime = clock.GetElapsedTime(failure);
            Say($"node2: {result.Detail}");
            Say($"{await Lease()}");
            var awsOnNode2 = PointsAt(emulator, s, s.Node2);

            output.WriteLine();
            output.WriteLine($"One owner throughout the split: {oneOwner}; VIP, EIP and record → node2 after node1 failed: {awsOnNode2}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Takeover time: {takeoverTime.TotalMilliseconds:0} ms (node1 fails → failover1 active on node2; the lease runs {LeaseDuration.TotalSeconds:0} s)."));
            return oneOwner && result.Succeeded && awsOnNode2 ? 0 : 1;
        }
        finally
        {
            await node2.StopAsync(deactivateGroups: false);
            await node2.DisposeAsync();
            await node1.DisposeAsync();
            foreach (var (services, _) in nodes.Values)
            {
                await services.DisposeAsync();
            }
        }
    }

    private static bool PointsAt(AwsEmulator emulator, CanonicalScenario s, CanonicalNode node) =>
        s.VipRouteTables.All(t => emulator.Inspect.RouteTarget(t, s.VipCidr) == node.EniId)
        && emulator.Inspect.AddressTarget(s.EipAllocationId) == node.EniId
        && emulator.Inspect.Record(s.HostedZoneId, s.RecordName)?.Values.SequenceEqual([node.PrivateIp]) == true;

    /// <summary>Whether the heartbeat link between the nodes is cut (both ways).</summary>
    private sealed class SplitSwitch
    {
        public volatile bool Cut;
    }

    /// <summary>A node's UDP heartbeats, dropped while the link is cut.</summary>
    private sealed class SplittableTransport(IHeartbeatTransport inner, SplitSwitch split) : IHeartbeatTransport
    {
        public Task SendAsync(string peer, ReadOnlyMemory<byte> packet, CancellationToken cancellationToken = default) =>
            split.Cut ? Task.CompletedTask : inner.SendAsync(peer, packet, cancellationToken);

        public Task<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken = default) => inner.ReceiveAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
