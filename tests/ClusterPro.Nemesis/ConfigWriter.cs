using System.Text.Json.Nodes;

namespace ClusterPro.Nemesis;

/// <summary>
/// Writes one node's configuration file: the canonical group (VIP on the three route tables, the EIP, the record) on
/// the run's nodes, the suite's short timing, host addresses in memory (nothing touches this machine's interfaces), its
/// own heartbeat port with the peers' entries pointing at the relay, and its own NP target.
/// </summary>
internal static class ConfigWriter
{
    /// <summary>The witness table's name.</summary>
    public const string WitnessTable = "clusterpro-nemesis-witness";

    /// <summary>The configuration of <paramref name="self"/>.</summary>
    /// <param name="topology">The AWS side.</param>
    /// <param name="shape">The cluster.</param>
    /// <param name="timing">The settings.</param>
    /// <param name="self">The node the file is for.</param>
    /// <param name="ownPort">Its own heartbeat port.</param>
    /// <param name="relayPort">The relay port it sends a peer's heartbeats to.</param>
    /// <param name="npPort">Its NP target's port.</param>
    /// <returns>The JSON document.</returns>
    public static JsonObject For(Topology topology, ClusterShape shape, Timing timing, string self, int ownPort, Func<string, int> relayPort, int npPort)
    {
        static string S(double seconds) => Timing.Span(seconds);
        var names = shape.Names;
        JsonObject PerNode(Func<NodeSpec, string> value) => new() { ["Nodes"] = new JsonObject(names.Select(n => KeyValuePair.Create(n, (JsonNode?)JsonValue.Create(value(topology.Node(n))))).ToArray()) };
        var endpoints = new JsonObject(names.Select(n => KeyValuePair.Create(n, (JsonNode?)JsonValue.Create($"127.0.0.1:{(n == self ? ownPort : relayPort(n))}"))).ToArray());
        var cluster = new JsonObject
        {
            ["Nodes"] = new JsonArray([.. names.Select(n => (JsonNode)new JsonObject { ["Name"] = n })]),
            ["Heartbeat"] = new JsonObject { ["Interval"] = S(timing.HeartbeatInterval), ["Timeout"] = S(timing.HeartbeatTimeout), ["Endpoints"] = endpoints },
            ["NetworkPartition"] = new JsonObject
            {
                ["Http"] = new JsonArray(new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = npPort, ["UseTls"] = false, ["Path"] = "/", ["Timeout"] = S(timing.ProbeTimeout) }),
                ["Attempts"] = timing.ProbeAttempts,
                ["RetryInterval"] = S(timing.ProbeRetryInterval),
            },
            ["Failover"] = new JsonObject
            {
                ["StartupWait"] = S(timing.StartupWait),
                ["FenceDelay"] = S(timing.FenceDelay),
                ["FenceRetryInterval"] = S(timing.FenceRetryInterval),
                ["FenceRetryMax"] = S(timing.FenceRetryMax),
            },
            ["HostAddresses"] = new JsonObject(names.Select(n => KeyValuePair.Create(n, (JsonNode?)new JsonObject { ["Kind"] = "memory" })).ToArray()),
            ["Groups"] = new JsonObject
            {
                ["failover1"] = new JsonObject
                {
                    ["Nodes"] = new JsonArray([.. names.Select(n => (JsonNode)JsonValue.Create(n))]),
                    ["Resources"] = new JsonArray(
                        new JsonObject
                        {
                            ["Name"] = "awsvip1", ["Type"] = "awsvip", ["Ip"] = topology.Vip, ["VpcId"] = topology.VpcId,
                            ["EniId"] = PerNode(n => n.EniId), ["InterfaceName"] = "eth0", ["AwsCallTimeout"] = S(timing.ResourceAwsCallTimeout),
                        },
                        new JsonObject
                        {
                            ["Name"] = "awseip1", ["Type"] = "awseip", ["AllocationId"] = topology.EipAllocationId,
                            ["EniId"] = PerNode(n => n.EniId), ["AwsCallTimeout"] = S(timing.ResourceAwsCallTimeout),
                        },
                        new JsonObject
                        {
                            ["Name"] = "awsdns1", ["Type"] = "awsdns", ["HostedZoneId"] = topology.HostedZoneId, ["RecordName"] = topology.RecordName,
                            ["Ip"] = PerNode(n => n.PrivateIp), ["Ttl"] = 60, ["DeleteOnDeactivate"] = true, ["CheckNameResolution"] = false,
                            ["AwsCallTimeout"] = S(timing.ResourceAwsCallTimeout),
                        }),
                },
            },
            ["Monitors"] = new JsonObject
            {
                ["awsvipw1"] = Monitor(timing, 0),
                ["awseipw1"] = Monitor(timing, 0),
                ["awsdnsw1"] = Monitor(timing, timing.Route53Propagation + 1),
            },
        };
        if (shape.Fencing)
        {
            cluster["Fencing"] = new JsonObject
            {
                ["Type"] = "aws",
                ["InstanceId"] = PerNode(n => n.InstanceId),
                ["PollInterval"] = S(timing.FencePollInterval),
                ["StopTimeout"] = S(timing.FenceStopTimeout),
                ["AwsCallTimeout"] = S(timing.FenceAwsCallTimeout),
            };
        }

        if (shape.Witness)
        {
            cluster["Witness"] = new JsonObject
            {
                ["Type"] = "dynamodb",
                ["Table"] = WitnessTable,
                ["LeaseDuration"] = S(timing.LeaseDuration),
                ["AwsCallTimeout"] = S(timing.LeaseAwsCallTimeout),
            };
        }

        return new JsonObject { ["AWS"] = new JsonObject { ["Region"] = topology.Region }, ["ClusterPro"] = cluster };
    }

    private static JsonObject Monitor(Timing timing, double startDelay) => new()
    {
        ["Interval"] = Timing.Span(timing.MonitorInterval),
        ["Timeout"] = Timing.Span(timing.MonitorTimeout),
        ["RetryCount"] = 1,
        ["StartDelay"] = Timing.Span(startDelay),
    };
}
