using System.Globalization;
using System.Net;

namespace ClusterPro.Aws.Testing.Scenarios;

/// <summary>How <see cref="CanonicalScenario.ToClusterConfiguration"/> sets up the canonical two-node cluster.</summary>
public sealed class CanonicalClusterSettings
{
    /// <summary>Heartbeat interval. <value>Default: 1 s.</value></summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Heartbeat timeout. <value>Default: 4 s.</value></summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>The shared heartbeat key. <value>Default: a fixed test key.</value></summary>
    public string HeartbeatKey { get; set; } = "canonical-cluster-heartbeat-key";

    /// <summary>Loopback UDP heartbeat ports per node, or null for none (tests that carry heartbeats themselves).</summary>
    public IReadOnlyDictionary<string, int>? HeartbeatPorts { get; set; }

    /// <summary>The emulator endpoint whose <c>/_emulator/health</c> is the HTTP NP target, or null for no NP resolver.</summary>
    public Uri? NetworkPartitionTarget { get; set; }

    /// <summary>The DNS monitor's name server (the emulator's DNS), or null to skip name resolution checks.</summary>
    public IPEndPoint? NameServer { get; set; }

    /// <summary>The lower-priority node's wait before fencing. <value>Default: 0.</value></summary>
    public TimeSpan FenceDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Fencing's poll interval. <value>Default: 100 ms.</value></summary>
    public TimeSpan FencePollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Add the AZ monitor <c>awsazw1</c>. <value>Default: false.</value></summary>
    public bool AzMonitor { get; set; }

    /// <summary>The monitors' interval, or null for their defaults.</summary>
    public TimeSpan? MonitorInterval { get; set; }

    /// <summary>
    /// The DNS monitor's start wait, counted from each activation of the record: it must outlast Route 53 propagation, or
    /// the monitor sees the previous answer and "repairs" a record that is only on its way. <value>Default: 4 s (the
    /// emulator keeps a change <c>PENDING</c> for 3 s by default).</value>
    /// </summary>
    public TimeSpan DnsMonitorStartDelay { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Each AWS resource's call timeout. <value>Default: 10 s.</value></summary>
    public TimeSpan AwsCallTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>The canonical scenario as a ClusterPro configuration.</summary>
public sealed partial record CanonicalScenario
{
    /// <summary>
    /// The <c>ClusterPro</c> configuration of the canonical cluster: node1 and node2, group <c>failover1</c> with
    /// <c>awsvip1</c> (the VIP routes), <c>awseip1</c> (the Elastic IP) and <c>awsdns1</c> (<c>srv.hz1.local.</c> → each
    /// node's IP), AWS fencing by instance ID, in-memory host addresses, and optionally heartbeat endpoints, an HTTP NP
    /// target, DNS name checks and the AZ monitor. Feed it to an in-memory configuration source.
    /// </summary>
    /// <param name="settings">Timings and optional parts.</param>
    /// <returns>Configuration keys and values.</returns>
    public Dictionary<string, string?> ToClusterConfiguration(CanonicalClusterSettings? settings = null)
    {
        settings ??= new CanonicalClusterSettings();
        static string T(TimeSpan t) => t.ToString("c", CultureInfo.InvariantCulture);
        const string Group = "ClusterPro:Groups:failover1:Resources";
        var c = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ClusterPro:Nodes:0:Name"] = Node1.Name,
            ["ClusterPro:Nodes:1:Name"] = Node2.Name,
            ["ClusterPro:Heartbeat:Interval"] = T(settings.HeartbeatInterval),
            ["ClusterPro:Heartbeat:Timeout"] = T(settings.HeartbeatTimeout),
            ["ClusterPro:Heartbeat:Key"] = settings.HeartbeatKey,
            ["ClusterPro:Failover:FenceDelay"] = T(settings.FenceDelay),
            ["ClusterPro:Fencing:Type"] = "aws",
            ["ClusterPro:Fencing:PollInterval"] = T(settings.FencePollInterval),
            ["ClusterPro:Fencing:AwsCallTimeout"] = T(settings.AwsCallTimeout),
            [$"{Group}:0:Name"] = "awsvip1",
            [$"{Group}:0:Type"] = "awsvip",
            [$"{Group}:0:Ip"] = Vip,
            [$"{Group}:0:VpcId"] = VpcId,
            [$"{Group}:1:Name"] = "awseip1",
            [$"{Group}:1:Type"] = "awseip",
            [$"{Group}:1:AllocationId"] = EipAllocationId,
            [$"{Group}:2:Name"] = "awsdns1",
            [$"{Group}:2:Type"] = "awsdns",
            [$"{Group}:2:HostedZoneId"] = HostedZoneId,
            [$"{Group}:2:RecordName"] = RecordName,
            [$"{Group}:2:Ttl"] = "60",
            [$"{Group}:2:CheckNameResolution"] = settings.NameServer is null ? "false" : "true",
            ["ClusterPro:Monitors:awsdnsw1:StartDelay"] = T(settings.DnsMonitorStartDelay),
        };
        foreach (var i in new[] { 0, 1, 2 })
        {
            c[$"{Group}:{i}:AwsCallTimeout"] = T(settings.AwsCallTimeout);
        }

        foreach (var node in new[] { Node1, Node2 })
        {
            c[$"{Group}:0:EniId:Nodes:{node.Name}"] = node.EniId;
            c[$"{Group}:1:EniId:Nodes:{node.Name}"] = node.EniId;
            c[$"{Group}:2:Ip:Nodes:{node.Name}"] = node.PrivateIp;
            c[$"ClusterPro:Fencing:InstanceId:Nodes:{node.Name}"] = node.InstanceId;
            c[$"ClusterPro:HostAddresses:{node.Name}:Kind"] = "memory";
            if (settings.HeartbeatPorts?.TryGetValue(node.Name, out var port) == true)
            {
                c[$"ClusterPro:Heartbeat:Endpoints:{node.Name}"] = $"127.0.0.1:{port}";
            }

            if (settings.AzMonitor)
            {
                c[$"ClusterPro:Monitors:awsazw1:AvailabilityZone:Nodes:{node.Name}"] = node.AvailabilityZone;
            }
        }

        if (settings.NetworkPartitionTarget is { } target)
        {
            c["ClusterPro:NetworkPartition:Http:0:Host"] = target.Host;
            c["ClusterPro:NetworkPartition:Http:0:Port"] = target.Port.ToString(CultureInfo.InvariantCulture);
            c["ClusterPro:NetworkPartition:Http:0:UseTls"] = "false";
            c["ClusterPro:NetworkPartition:Http:0:Path"] = "/_emulator/health";
            c["ClusterPro:NetworkPartition:Http:0:Timeout"] = "00:00:02";
        }

        if (settings.NameServer is not null)
        {
            c[$"{Group}:2:NameServers:0"] = settings.NameServer.ToString();
        }

        if (settings.AzMonitor)
        {
            c["ClusterPro:Monitors:awsazw1:Type"] = "awsazw";
            c["ClusterPro:Monitors:awsazw1:AwsCallTimeout"] = T(settings.AwsCallTimeout);
        }

        if (settings.MonitorInterval is { } interval)
        {
            foreach (var monitor in settings.AzMonitor ? ["awsvipw1", "awseipw1", "awsdnsw1", "awsazw1"] : new[] { "awsvipw1", "awseipw1", "awsdnsw1" })
            {
                c[$"ClusterPro:Monitors:{monitor}:Interval"] = T(interval);
                c[$"ClusterPro:Monitors:{monitor}:Timeout"] = T(settings.AwsCallTimeout + TimeSpan.FromSeconds(5));
            }
        }

        return c;
    }
}
