using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// The standalone emulator as a real process (as an operator starts it) for tests that run `clusterpro run` processes
/// against it: the environment a node needs (endpoint, credentials, region, heartbeat key), the canonical scenario's IDs,
/// cluster.canonical.json pointed at it with heartbeats on loopback, and an EC2 client to look at what AWS points at.
/// </summary>
internal sealed class StandaloneEmulator : IAsyncDisposable
{
    /// <summary>The heartbeat key the nodes share.</summary>
    public const string HeartbeatKey = "a-shared-secret-of-32-characters";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly ChildProcess _process;
    private readonly JsonElement _ready;
    private readonly List<string> _files = [];

    private StandaloneEmulator(ChildProcess process, JsonElement ready)
    {
        _process = process;
        _ready = ready;
        Endpoint = new Uri(ready.GetProperty("endpoint").GetString()!);
        Environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = ready.GetProperty("endpoint").GetString()!,
            ["AWS_ACCESS_KEY_ID"] = ready.GetProperty("accessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = ready.GetProperty("secretAccessKey").GetString()!,
            ["AWS_REGION"] = ready.GetProperty("region").GetString()!,
            ["CLUSTERPRO_HEARTBEAT_KEY"] = HeartbeatKey,
        };
    }

    /// <summary>What a node's process needs in its environment.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The emulator's endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts the emulator with the canonical scenario (and <paramref name="options"/>, e.g. <c>--propagation-delay 0</c>).</summary>
    public static async Task<StandaloneEmulator> StartAsync(params string[] options)
    {
        var process = ChildProcess.Start("ClusterPro.Aws.Emulator.dll", null, ["--port", "0", "--dns-port", "-1", "--scenario", "canonical", "--exit-on-stdin-close", .. options]);
        await process.WaitForAsync("\"endpoint\"", Wait);
        return new StandaloneEmulator(process, JsonDocument.Parse(process.Lines.First(l => l.Contains("\"endpoint\"", StringComparison.Ordinal))).RootElement.Clone());
    }

    /// <summary>An ID of the canonical scenario by its path in the ready line: <c>node1.eniId</c>, <c>routeTablePrivateA</c>.</summary>
    public string Scenario(string path) =>
        path.Split('.').Aggregate(_ready.GetProperty("scenario"), (e, name) => e.GetProperty(name)).GetString()!;

    /// <summary>cluster.canonical.json pointed at the emulator's scenario, heartbeats on free loopback ports; deleted at the end.</summary>
    public string WriteConfig(Action<JsonNode>? edit = null)
    {
        var json = ConfigJson();
        edit?.Invoke(json);
        var path = Path.Combine(Path.GetTempPath(), $"clusterpro-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString());
        _files.Add(path);
        return path;
    }

    /// <summary>The configuration <see cref="WriteConfig"/> writes, to edit further and write elsewhere.</summary>
    public JsonNode ConfigJson()
    {
        var json = CanonicalConfigFile.For(_ready.GetProperty("scenario"), Endpoint);
        json["ClusterPro"]!["Heartbeat"]!["Endpoints"] = new JsonObject { ["node1"] = $"127.0.0.1:{FreeUdpPort()}", ["node2"] = $"127.0.0.1:{FreeUdpPort()}" };
        return json;
    }

    /// <summary>An EC2 client signed for the emulator.</summary>
    public AmazonEC2Client Ec2() => new(
        new BasicAWSCredentials(Environment["AWS_ACCESS_KEY_ID"], Environment["AWS_SECRET_ACCESS_KEY"]),
        new AmazonEC2Config { ServiceURL = Environment["AWS_ENDPOINT_URL"], AuthenticationRegion = Environment["AWS_REGION"] });

    /// <summary>An instance's state as EC2 says it (<c>running</c>, <c>stopped</c> …).</summary>
    public async Task<string> InstanceStateAsync(string instanceId)
    {
        using var ec2 = Ec2();
        var answer = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] });
        return answer.Reservations[0].Instances[0].State.Name.Value;
    }

    public static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    public static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        foreach (var file in _files)
        {
            File.Delete(file);
        }
    }
}
