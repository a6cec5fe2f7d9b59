using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.Aws.Witness;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// The policy <c>iam-policy</c> prints for the canonical cluster (witness on), enforced by the emulator as IAM would:
/// every command an operator runs works with exactly it, and taking one action away breaks the command that needs it,
/// naming the refusal.
/// </summary>
public sealed class IamPolicyOnEmulatorTests : IAsyncLifetime
{
    private const string Table = "clusterpro-witness";
    private static readonly string[] EnvironmentNames = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"];
    private AwsEmulator _emulator = null!;
    private Dictionary<string, string?> _settings = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions
        {
            Scenario = EmulatorScenario.Canonical,
            DnsPort = -1,
            Route53PropagationDelay = TimeSpan.Zero,
            InstanceForcedStopDelay = TimeSpan.FromMilliseconds(100),
        });
        foreach (var (name, value) in _emulator.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        // The operator sets the witness table up once, with rights the nodes never get (witness-init).
        // node2 holds failover1's lease, as a node that has just died would: node1 must wait the lease out and fence node2.
        using (var dynamo = _emulator.CreateDynamoDbClient())
        {
            (await DynamoDbWitnessTable.EnsureAsync(dynamo, Table)).Succeeded.Should().BeTrue();
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = Table,
                Item = new Dictionary<string, AttributeValue>
                {
                    ["group"] = new() { S = "failover1" },
                    ["owner"] = new() { S = "node2" },
                    ["rvn"] = new() { S = "rvn-of-node2" },
                    ["epoch"] = new() { N = "1" },
                    ["lease_ms"] = new() { N = "2000" },
                },
            });
        }

        _settings = _emulator.Scenario!.ToClusterConfiguration(new CanonicalClusterSettings
        {
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            HeartbeatTimeout = TimeSpan.FromSeconds(1),
            HeartbeatPorts = new Dictionary<string, int> { ["node1"] = FreeUdpPort(), ["node2"] = FreeUdpPort() },
            NetworkPartitionTarget = _emulator.Endpoint,
            AzMonitor = true,
        });
        _settings["ClusterPro:Witness:Type"] = "dynamodb";
        _settings["ClusterPro:Witness:Table"] = Table;
        _settings["ClusterPro:Witness:LeaseDuration"] = "00:00:03";
        _settings["ClusterPro:Witness:AwsCallTimeout"] = "00:00:00.5";
        _settings["AWS:Region"] = _emulator.Region;

        // One-shot commands are processes of their own: no OS address is managed (each would start with an empty memory).
        _settings["ClusterPro:HostAddresses:node1:Kind"] = "none";
        _settings["ClusterPro:HostAddresses:node2:Kind"] = "none";
        _config = WriteJson(_settings);
    }

    public async Task DisposeAsync()
    {
        foreach (var name in EnvironmentNames)
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        File.Delete(_config);
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task GeneratedPolicy_Enforced_DoctorActivateCheckDeactivateAndAFencedFailoverAllWork()
    {
        var s = _emulator.Scenario!;
        var policy = await RunAsync("iam-policy", "--config", _config);
        policy.Code.Should().Be(0, policy.Error);
        _emulator.SetPolicy(policy.Output);

        var doctor = await RunAsync("doctor", "--config", _config, "--node", "node1");
        var activate = await RunAsync("activate", "--config", _config, "--node", "node1");
        var check = await RunAsync("check", "--config", _config, "--node", "node1");
        var deactivate = await RunAsync("deactivate", "--config", _config, "--node", "node1");

        doctor.Code.Should().Be(0, doctor.Output);
        doctor.Output.Should().NotContain("FAIL").And.NotContain("SKIP").And.Contain("PASS awsvip1: Source/Dest. Check").And.Contain("PASS awsvip1: IAM allows ec2:ReplaceRoute")
            .And.Contain("PASS awseip1: allocation").And.Contain("PASS awsdns1: hosted zone").And.Contain($"PASS witness table {Table}: IAM allows dynamodb:UpdateItem").And.Contain("doctor: no failures.");
        activate.Code.Should().Be(0, activate.Output + activate.Error);
        check.Code.Should().Be(0, check.Output);
        check.Output.Should().Contain("awsvipw1 Normal 0").And.Contain("awseipw1 Normal 0").And.Contain("awsdnsw1 Normal 0").And.Contain("awsazw1 Normal 0");
        deactivate.Code.Should().Be(0, deactivate.Output);
        _emulator.Inspect.AddressTarget(s.EipAllocationId).Should().BeNull();

        // A fenced failover: node2 held the lease and is gone; node1 waits the lease out, fences node2 (its instance
        // force-stopped) and takes the group under its own lease.
        var activated = await RunNodeUntilActiveAsync("node1");
        activated.Succeeded.Should().BeTrue();
        _emulator.Inspect.InstanceState(s.Node2.InstanceId).Should().BeOneOf("stopping", "stopped");
        s.VipRouteTables.Should().OnlyContain(t => _emulator.Inspect.RouteTarget(t, s.VipCidr, null) == s.Node1.EniId);
        _emulator.Calls.Should().Contain(c => c.Operation == "StopInstances" && c.Status == 200).And.Contain(c => c.Operation == "PutItem" || c.Operation == "UpdateItem");
        _emulator.Calls.Should().NotContain(c => c.ErrorCode == "UnauthorizedOperation" || c.ErrorCode == "AccessDenied" || c.ErrorCode == "AccessDeniedException");
    }

    [Fact]
    public async Task OneActionTakenAway_TheCommandThatNeedsItFails_NamingTheRefusal()
    {
        var policy = (await RunAsync("iam-policy", "--config", _config)).Output;

        _emulator.SetPolicy(Without(policy, "ec2:DescribeNetworkInterfaces"));
        var doctor = await RunAsync("doctor", "--config", _config, "--node", "node1");
        _emulator.SetPolicy(Without(policy, "route53:ChangeResourceRecordSets"));
        var activate = await RunAsync("activate", "--config", _config, "--node", "node1");

        doctor.Code.Should().Be(2);
        doctor.Output.Should().Contain($"FAIL awsvip1: Source/Dest. Check on {_emulator.Scenario!.Node1.EniId} — UnauthorizedOperation: You are not authorized to perform this operation.")
            .And.Contain("ec2:DescribeNetworkInterfaces").And.Contain("Fix: grant the permission");
        activate.Code.Should().Be(1, activate.Output);
        activate.Output.Should().Contain($"awsdns1 Failed 50 You are not authorized to perform this operation. (AccessDenied: route53:ChangeResourceRecordSets on resource: arn:aws:route53:::hostedzone/{_emulator.Scenario.HostedZoneId})");
    }

    private async Task<FailoverEvent> RunNodeUntilActiveAsync(string node)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Services.AddSingleton<IAmazonEC2>(_emulator.CreateEc2Client());
        builder.Services.AddSingleton<Amazon.DynamoDBv2.IAmazonDynamoDB>(_emulator.CreateDynamoDbClient());
        builder.Services.Configure<ClusterProAwsOptions>(o => { o.Route53Endpoint = _emulator.Endpoint; o.Route53Credentials = _emulator.Credentials; });
        builder.Services.AddClusterPro(builder.Configuration).AddAwsFromConfiguration(builder.Configuration).AddFailoverManager(node);
        using var host = builder.Build();
        var events = new List<FailoverEvent>();
        var activated = new TaskCompletionSource<FailoverEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.Services.GetRequiredService<ClusterProNode>().Event += (_, e) =>
        {
            lock (events)
            {
                events.Add(e);
            }

            if (e.Kind == FailoverEventKind.GroupActivated)
            {
                activated.TrySetResult(e);
            }
        };

        await host.StartAsync();
        try
        {
            return await activated.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await host.StopAsync();
            lock (events)
            {
                events.Select(e => e.Kind).Should().ContainInOrder(FailoverEventKind.FenceStarted, FailoverEventKind.FenceCompleted, FailoverEventKind.GroupActivated);
            }
        }
    }

    private static string Without(string policy, string action)
    {
        var document = JsonNode.Parse(policy)!;
        var statements = document["Statement"]!.AsArray();
        foreach (var statement in statements.ToList())
        {
            var actions = statement!["Action"]!.AsArray();
            foreach (var a in actions.Where(a => a!.GetValue<string>() == action).ToList())
            {
                actions.Remove(a);
            }

            if (actions.Count == 0)
            {
                statements.Remove(statement);
            }
        }

        return document.ToJsonString();
    }

    /// <summary>Configuration keys (<c>A:B:0:C</c>) as the JSON file a command reads.</summary>
    private static string WriteJson(Dictionary<string, string?> settings)
    {
        var root = new JsonObject();
        foreach (var (key, value) in settings)
        {
            var node = root;
            var parts = key.Split(':');
            foreach (var part in parts[..^1])
            {
                node = node[part] as JsonObject ?? (JsonObject)(node[part] = new JsonObject());
            }

            node[parts[^1]] = value;
        }

        var path = Path.Combine(Path.GetTempPath(), $"clusterpro-iam-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ConsoleApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
