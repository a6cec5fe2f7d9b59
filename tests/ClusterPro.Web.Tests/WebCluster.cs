using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterPro.Samples.ConsoleHost.Tests;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Web.Tests;

/// <summary>
/// Two real `clusterpro run` processes, each serving its web view (<c>--web-port</c>), on the standalone emulator (a
/// process too) with its canonical scenario: group failover1 (VIP, Elastic IP, DNS record) comes up on node1. As
/// OperatorProcessTests starts them, with a shorter heartbeat timeout so that a failover takes seconds.
/// </summary>
internal sealed class WebCluster : IAsyncDisposable
{
    /// <summary>The operator's token of a cluster started with one.</summary>
    public const string Token = "a-web-token-for-the-browser-tests-0123";

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    private readonly Dictionary<string, ChildProcess> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);
    private ChildProcess _emulator = null!;
    private JsonElement _aws;
    private string _config = null!;
    private Dictionary<string, string> _environment = null!;

    private WebCluster()
    {
    }

    /// <summary>The heartbeat timeout of the cluster's configuration.</summary>
    public static TimeSpan HeartbeatTimeout => TimeSpan.FromSeconds(3);

    public IReadOnlyDictionary<string, ChildProcess> Nodes => _nodes;

    /// <summary>Starts the emulator and both nodes; returns once failover1 is active on node1 and both pages are served.</summary>
    /// <param name="withToken">Whether the nodes get the operator's token (otherwise their pages are read-only).</param>
    public static async Task<WebCluster> StartAsync(bool withToken)
    {
        var cluster = new WebCluster();
        try
        {
            await cluster.StartEmulatorAsync(withToken);
            foreach (var node in new[] { "node1", "node2" })
            {
                cluster.StartNode(node);
            }

            await cluster._nodes["node1"].WaitForAsync("node1: GroupActivated failover1", Wait);
            foreach (var (name, node) in cluster._nodes)
            {
                await node.WaitForAsync($"{name} is running", Wait);
                await node.WaitForAsync("web: the cluster's page is at", Wait);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The page of a node (served by that node).</summary>
    public string Page(string node) => $"http://127.0.0.1:{_ports[node]}/";

    /// <summary>A value of the emulator's scenario (e.g. <c>node1.instanceId</c>).</summary>
    public string Scenario(string path) =>
        path.Split('.').Aggregate(_aws.GetProperty("scenario"), (e, name) => e.GetProperty(name)).GetString()!;

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_config is not null)
        {
            File.Delete(_config);
        }
    }

    private async Task StartEmulatorAsync(bool withToken)
    {
        _emulator = ChildProcess.Start("ClusterPro.Aws.Emulator.dll", null, "--port", "0", "--dns-port", "-1", "--scenario", "canonical", "--propagation-delay", "0", "--exit-on-stdin-close");
        await _emulator.WaitForAsync("\"endpoint\"", Wait);
        _aws = JsonDocument.Parse(_emulator.Lines.First(l => l.Contains("\"endpoint\"", StringComparison.Ordinal))).RootElement.Clone();
        _environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = _aws.GetProperty("endpoint").GetString()!,
            ["AWS_ACCESS_KEY_ID"] = _aws.GetProperty("accessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = _aws.GetProperty("secretAccessKey").GetString()!,
            ["AWS_REGION"] = _aws.GetProperty("region").GetString()!,
            ["CLUSTERPRO_HEARTBEAT_KEY"] = "a-shared-secret-of-32-characters",
        };
        if (withToken)
        {
            _environment["CLUSTERPRO_WEB_TOKEN"] = Token;
        }

        var json = CanonicalConfigFile.For(_aws.GetProperty("scenario"), new Uri(_aws.GetProperty("endpoint").GetString()!));
        var cp = json["ClusterPro"]!;
        cp["Heartbeat"]!["Endpoints"] = new JsonObject { ["node1"] = $"127.0.0.1:{FreeUdpPort()}", ["node2"] = $"127.0.0.1:{FreeUdpPort()}" };
        cp["Heartbeat"]!["Interval"] = "00:00:00.5";
        cp["Heartbeat"]!["Timeout"] = HeartbeatTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        cp["Failover"]!["FenceDelay"] = "00:00:01";
        _config = Path.Combine(Path.GetTempPath(), $"clusterpro-web-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_config, json.ToJsonString());
    }

    private void StartNode(string name)
    {
        _ports[name] = FreeTcpPort();
        _nodes[name] = ChildProcess.Start("clusterpro.dll", _environment, "run", "--config", _config, "--node", name, "--web-port", _ports[name].ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private static int FreeTcpPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
