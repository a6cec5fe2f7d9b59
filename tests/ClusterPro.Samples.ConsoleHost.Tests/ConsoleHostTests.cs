using System.Text.Json.Nodes;
using ClusterPro.Aws.Testing;
using ClusterPro.Samples.ConsoleHost;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// The sample host's commands against the emulator, with the shipped example configuration (cluster.canonical.json)
/// pointed at the emulator's canonical scenario. AWS endpoints and credentials come from the standard environment
/// variables, as they would on a real machine.
/// </summary>
public sealed class ConsoleHostTests : IAsyncLifetime
{
    private static readonly string[] EnvironmentNames = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION", "CLUSTERPRO_HEARTBEAT_KEY"];
    private AwsEmulator _emulator = null!;
    private string _config = null!;

    public async Task InitializeAsync()
    {
        // `check` runs right after `activate` here: with Route 53's seconds of propagation the DNS monitor would rightly
        // see the old address (55), which is what its start wait exists for; these tests are about the commands.
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, Route53PropagationDelay = TimeSpan.Zero });
        foreach (var (name, value) in _emulator.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        Environment.SetEnvironmentVariable("CLUSTERPRO_HEARTBEAT_KEY", "a-shared-secret-of-32-characters");
        _config = WriteConfig(c => { });
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

    private string WriteConfig(Action<JsonNode> edit) => EmulatorConfigFile.Write(_emulator, edit);

    [Fact]
    public async Task Activate_ThenCheck_ThenDeactivate_OnNode2()
    {
        var s = _emulator.Scenario!;

        var activate = await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node2");
        var check = await ConsoleRun.RunAsync("check", "--config", _config, "--node", "node2");

        activate.Code.Should().Be(0, activate.Output + activate.Error);
        activate.Output.Should().Contain("awsvip1 Succeeded 0").And.Contain("awseip1 Succeeded 0").And.Contain("awsdns1 Succeeded 0");
        s.VipRouteTables.Should().OnlyContain(t => _emulator.Inspect.RouteTarget(t, s.VipCidr, null) == s.Node2.EniId);
        check.Code.Should().Be(0, check.Output);
        check.Output.Should().Contain("awsvipw1 Normal 0").And.Contain("awsazw1 Normal 0");

        var deactivate = await ConsoleRun.RunAsync("deactivate", "--config", _config, "--node", "node2");
        deactivate.Code.Should().Be(0, deactivate.Output);
        _emulator.Inspect.AddressTarget(s.EipAllocationId).Should().BeNull();
        _emulator.Inspect.Record(s.HostedZoneId, s.RecordName).Should().BeNull();
    }

    [Fact]
    public async Task Check_RouteDrift_PrintsTheRunbookLine_AndExits2()
    {
        var s = _emulator.Scenario!;
        await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1");
        _emulator.Drift.RetargetRoute(s.RouteTablePrivateB, s.VipCidr, s.Node2.EniId);

        var check = await ConsoleRun.RunAsync("check", "--config", _config, "--node", "node1");

        check.Code.Should().Be(2);
        check.Output.Should().Contain("awsvipw1 Error 56 The routing for VIP 10.1.0.20 was changed.");
    }

    [Fact]
    public async Task Check_ZoneImpaired_IsAWarning_AndExits1()
    {
        await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1");
        _emulator.Drift.SetZoneState(_emulator.Scenario!.Node1.AvailabilityZone, "impaired");

        var check = await ConsoleRun.RunAsync("check", "--config", _config, "--node", "node1");

        check.Code.Should().Be(1, check.Output);
        check.Output.Should().Contain("awsazw1 Warning 105 Availability zone [ap-northeast-1a] is impaired.");
    }

    [Fact]
    public async Task Check_OutputJson_GivesEveryMonitor_AndTheOverall_WithTheSameExitCode()
    {
        await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1");
        _emulator.Drift.SetZoneState(_emulator.Scenario!.Node1.AvailabilityZone, "impaired");

        var check = await ConsoleRun.RunAsync("check", "--config", _config, "--node", "node1", "--output", "json");

        check.Code.Should().Be(1, check.Output + check.Error);
        var json = JsonNode.Parse(check.Output)!;
        json["node"]!.GetValue<string>().Should().Be("node1");
        json["status"]!.GetValue<string>().Should().Be("Warning");
        json["exitCode"]!.GetValue<int>().Should().Be(1);
        var monitors = json["monitors"]!.AsArray();
        monitors.Select(m => m!["name"]!.GetValue<string>()).Should().Contain(["awsvipw1", "awsazw1"]);
        var az = monitors.Single(m => m!["name"]!.GetValue<string>() == "awsazw1")!;
        az["status"]!.GetValue<string>().Should().Be("Warning");
        az["code"]!.GetValue<int>().Should().Be(105);
        az["message"]!.GetValue<string>().Should().Be("Availability zone [ap-northeast-1a] is impaired.");
        monitors.Single(m => m!["name"]!.GetValue<string>() == "awsvipw1")!["status"]!.GetValue<string>().Should().Be("Normal");
    }

    [Fact]
    public async Task Status_AfterActivateOnNode1_EveryResourcePointsAtNode1_TableAndJson_Exit0()
    {
        var s = _emulator.Scenario!;
        (await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1")).Code.Should().Be(0);

        var table = await ConsoleRun.RunAsync("status", "--config", _config, "--node", "node1");
        var json = await ConsoleRun.RunAsync("status", "--config", _config, "--output", "json");

        table.Code.Should().Be(0, table.Output + table.Error);
        table.Output.Should().MatchRegex(@"node1 \(this node\)\s+no answer\s+never\s+failover1")
            .And.MatchRegex(@"failover1\s+node1\s+node1\s+0\s+no answer\s+no answer\s+OK")
            .And.MatchRegex(@"awsvip1\s+awsvip\s+node1\s+" + s.VipRouteTables[0])
            .And.MatchRegex(@"awseip1\s+awseip\s+node1\s+" + s.EipAllocationId + " -> " + s.Node1.EniId + @" \(node1\)")
            .And.MatchRegex(@"awsdns1\s+awsdns\s+node1\s+")
            .And.Contain("CLUSTER OK: Every group has one owner and AWS points at it. No node answered")
            .And.NotContain("lease");
        json.Code.Should().Be(0, json.Error);
        var group = JsonNode.Parse(json.Output)!["groups"]!.AsArray().Single()!;
        group["name"]!.GetValue<string>().Should().Be("failover1");
        group["owner"]!.GetValue<string>().Should().Be("node1");
        group["verdict"]!.GetValue<string>().Should().Be("ok");
        var vip = group["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "awsvip1")!;
        vip["state"]!.GetValue<string>().Should().Be("Node");
        vip["node"]!.GetValue<string>().Should().Be("node1");
        vip["targets"]!.AsArray().Select(t => (t!["location"]!.GetValue<string>(), t["target"]!.GetValue<string>(), t["node"]!.GetValue<string>()))
            .Should().BeEquivalentTo(s.VipRouteTables.Select(t => (t, s.Node1.EniId, "node1")));
        group["lease"].Should().BeNull();
    }

    [Fact]
    public async Task Status_RouteMovedByHand_ReportsTheDriftedTable_Exit1()
    {
        var s = _emulator.Scenario!;
        await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1");
        _emulator.Drift.RetargetRoute(s.RouteTablePrivateB, s.VipCidr, s.Node2.EniId);

        var table = await ConsoleRun.RunAsync("status", "--config", _config);
        var json = await ConsoleRun.RunAsync("status", "--config", _config, "--output", "json");

        table.Code.Should().Be(1, table.Output + table.Error);
        table.Output.Should().MatchRegex(@"failover1\s+\(none\)\s+\(none\)\s+0\s+no answer\s+no answer\s+DRIFT: awsvip1 drifted\.")
            .And.Contain($"{s.RouteTablePrivateB} -> {s.Node2.EniId} (node2)")
            .And.Contain("CLUSTER DRIFT: 1 group(s) without exactly one owner");
        json.Code.Should().Be(1);
        var group = JsonNode.Parse(json.Output)!["groups"]![0]!;
        group["verdict"]!.GetValue<string>().Should().Be("drift");
        group["owner"].Should().BeNull();
        var vip = group["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "awsvip1")!;
        vip["state"]!.GetValue<string>().Should().Be("Drifted");
        vip["targets"]!.AsArray().Single(t => t!["location"]!.GetValue<string>() == s.RouteTablePrivateB)!["node"]!.GetValue<string>().Should().Be("node2");
    }

    [Fact]
    public async Task Status_ElasticIpNotReadable_Exit2_NamingTheCall()
    {
        await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1");
        _emulator.Faults.Deny("DescribeAddresses");

        var status = await ConsoleRun.RunAsync("status", "--config", _config);

        status.Code.Should().Be(2, status.Output + status.Error);
        status.Output.Should().MatchRegex(@"failover1\s+\(none\)\s+\(none\)\s+0\s+no answer\s+no answer\s+UNKNOWN").And.MatchRegex(@"awseip1\s+awseip\s+unknown\s+DescribeAddresses: ");
    }

    [Fact]
    public async Task Status_WithTheWitness_ShowsEachGroupsLease_OwnerEpochAndAge()
    {
        var s = _emulator.Scenario!;
        var config = WriteConfig(j => j["ClusterPro"]!["Witness"] = new JsonObject { ["Type"] = "dynamodb", ["Table"] = "clusterpro-witness" });
        try
        {
            (await ConsoleRun.RunAsync("witness-init", "--config", config)).Code.Should().Be(0);
            using var dynamo = _emulator.CreateDynamoDbClient();
            var store = new ClusterPro.Aws.Witness.DynamoDbGroupLeaseStore(dynamo, new ClusterPro.Witness.WitnessOptions { Type = "dynamodb", Table = "clusterpro-witness" });
            (await store.AcquireAsync(new ClusterPro.Witness.LeaseAcquisition("failover1", "node1", null, "rvn-1", 3))).Outcome.Should().Be(ClusterPro.Witness.LeaseOutcome.Held);
            await ConsoleRun.RunAsync("activate", "--config", config, "--node", "node1");

            var table = await ConsoleRun.RunAsync("status", "--config", config);
            var json = await ConsoleRun.RunAsync("status", "--config", config, "--output", "json");

            table.Code.Should().Be(0, table.Output + table.Error);
            table.Output.Should().MatchRegex(@"lease\s+dynamodb\s+node1\s+epoch 3, changed [0-9.]+ s ago by node1 \(table clusterpro-witness\)");
            var root = JsonNode.Parse(json.Output)!;
            root["witness"]!["table"]!.GetValue<string>().Should().Be("clusterpro-witness");
            var lease = root["groups"]![0]!["lease"]!;
            lease["owner"]!.GetValue<string>().Should().Be("node1");
            lease["epoch"]!.GetValue<long>().Should().Be(3);
            lease["recordVersion"]!.GetValue<string>().Should().Be("rvn-1");
            lease["updatedBy"]!.GetValue<string>().Should().Be("node1");
            lease["ageSeconds"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);

            _emulator.Drift.MoveAddress(s.EipAllocationId, s.Node2.EniId);
            (await ConsoleRun.RunAsync("status", "--config", config)).Code.Should().Be(1, "the Elastic IP no longer points at the lease's owner");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Status_LeaseNotRenewedForLongerThanTheLease_IsDrift_Exit1()
    {
        var config = WriteConfig(j => j["ClusterPro"]!["Witness"] = new JsonObject { ["Type"] = "dynamodb", ["Table"] = "clusterpro-witness", ["LeaseDuration"] = "00:00:10" });
        try
        {
            (await ConsoleRun.RunAsync("witness-init", "--config", config)).Code.Should().Be(0);
            (await ConsoleRun.RunAsync("activate", "--config", config, "--node", "node1")).Code.Should().Be(0);

            // node1's item as node1 last wrote it five minutes ago: it stopped renewing.
            using var dynamo = _emulator.CreateDynamoDbClient();
            await dynamo.PutItemAsync(new Amazon.DynamoDBv2.Model.PutItemRequest
            {
                TableName = "clusterpro-witness",
                Item = new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>
                {
                    ["group"] = new() { S = "failover1" },
                    ["owner"] = new() { S = "node1" },
                    ["rvn"] = new() { S = "rvn-1" },
                    ["epoch"] = new() { N = "3" },
                    ["updated_by"] = new() { S = "node1" },
                    ["lease_ms"] = new() { N = "10000" },
                    ["updated_at"] = new() { S = TimeProvider.System.GetUtcNow().AddMinutes(-5).ToString("O", System.Globalization.CultureInfo.InvariantCulture) },
                },
            });

            var table = await ConsoleRun.RunAsync("status", "--config", config);
            var json = await ConsoleRun.RunAsync("status", "--config", config, "--output", "json");

            table.Code.Should().Be(1, table.Output + table.Error);
            table.Output.Should().MatchRegex(@"failover1\s+\(none\)\s+node1\s+0\s+no answer\s+no answer\s+DRIFT: The lease expired: not renewed for 30[0-9.]* s, longer than the lease \(10 s");
            json.Code.Should().Be(1);
            JsonNode.Parse(json.Output)!["groups"]![0]!["verdict"]!.GetValue<string>().Should().Be("drift");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task WitnessInit_CreatesTheTable_ThenLeavesItAsItIs()
    {
        var config = WriteConfig(j => j["ClusterPro"]!["Witness"] = new JsonObject { ["Type"] = "dynamodb", ["Table"] = "clusterpro-witness" });
        try
        {
            var first = await ConsoleRun.RunAsync("witness-init", "--config", config);
            var second = await ConsoleRun.RunAsync("witness-init", "--config", config);

            first.Code.Should().Be(0, first.Error);
            first.Output.Should().StartWith("Created DynamoDB table 'clusterpro-witness' (on-demand, partition key 'group' of type S, deletion protection on)");
            second.Code.Should().Be(0, second.Error);
            second.Output.Should().Contain("DynamoDB table 'clusterpro-witness' exists with the witness's key").And.Contain("left as it is");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task WitnessInit_TableWithAnotherKey_Exits1_NamingBothKeys()
    {
        var config = WriteConfig(j => j["ClusterPro"]!["Witness"] = new JsonObject { ["Type"] = "dynamodb", ["Table"] = "not-a-witness" });
        try
        {
            using var dynamo = _emulator.CreateDynamoDbClient();
            await dynamo.CreateTableAsync(new Amazon.DynamoDBv2.Model.CreateTableRequest
            {
                TableName = "not-a-witness",
                BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
                KeySchema = [new Amazon.DynamoDBv2.Model.KeySchemaElement("id", Amazon.DynamoDBv2.KeyType.HASH)],
                AttributeDefinitions = [new Amazon.DynamoDBv2.Model.AttributeDefinition("id", Amazon.DynamoDBv2.ScalarAttributeType.S)],
            });

            var init = await ConsoleRun.RunAsync("witness-init", "--config", config);

            init.Code.Should().Be(1);
            init.Error.Should().Contain("DynamoDB table 'not-a-witness' has partition key 'id' of type S, but the witness needs exactly one key: partition key 'group' of type S");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task WitnessInit_WithoutAWitness_Exits64_NamingTheSettingToAdd()
    {
        var init = await ConsoleRun.RunAsync("witness-init", "--config", _config);

        init.Code.Should().Be(64);
        init.Error.Should().Contain("ClusterPro:Witness:Type is not set").And.Contain("\"Witness\": { \"Type\": \"dynamodb\", \"Table\": \"clusterpro-witness\" }");
    }

    [Fact]
    public async Task IamPolicy_ListsTheClustersActions()
    {
        var policy = await ConsoleRun.RunAsync("iam-policy", "--config", _config);

        policy.Code.Should().Be(0);
        policy.Output.Should().Contain("ec2:ReplaceRoute").And.Contain("ec2:AssociateAddress").And.Contain("route53:ChangeResourceRecordSets")
            .And.Contain("ec2:StopInstances").And.Contain("ec2:DescribeAvailabilityZones").And.Contain($"hostedzone/{_emulator.Scenario!.HostedZoneId}")
            .And.Contain("ec2:DescribeNetworkInterfaces").And.Contain("route53:GetHostedZone");
    }

    [Fact]
    public async Task IamPolicy_WithoutPreflight_LeavesOutDoctorsOwnReads()
    {
        var policy = await ConsoleRun.RunAsync("iam-policy", "--without-preflight", "--config", _config);
        var unknown = await ConsoleRun.RunAsync("iam-policy", "--config", _config, "--with-everything");

        policy.Code.Should().Be(0, policy.Error);
        policy.Output.Should().Contain("ec2:ReplaceRoute").And.Contain("ec2:DescribeAvailabilityZones", "the AZ monitor reads zones when it runs")
            .And.NotContain("ec2:DescribeNetworkInterfaces").And.NotContain("route53:GetHostedZone");
        unknown.Code.Should().Be(64);
        unknown.Error.Should().Contain("'--with-everything'").And.Contain("iam-policy --help");
    }

    [Fact]
    public async Task Doctor_CanonicalScenario_PassesEveryCheck()
    {
        var doctor = await ConsoleRun.RunAsync("doctor", "--config", _config, "--node", "node1");

        doctor.Code.Should().Be(0, doctor.Output);
        doctor.Output.Should().Contain("PASS credentials and region").And.Contain("PASS awsvip1: Source/Dest. Check").And.Contain("PASS awsvip1: IAM allows ec2:ReplaceRoute")
            .And.Contain("PASS awsdns1: hosted zone").And.Contain("PASS NP target").And.Contain("doctor: no failures.");
    }

    [Fact]
    public async Task Doctor_WrongCredentials_FailsOnce_ThenSkipsEveryAwsCheck_AndStillProbesTheNpTarget()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG0");

        var doctor = await ConsoleRun.RunAsync("doctor", "--config", _config, "--node", "node1");

        doctor.Code.Should().Be(2);
        var lines = doctor.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].Should().StartWith("FAIL credentials and region — AuthFailure").And.Contain("Fix: run 'aws configure'");
        lines.Count(l => l.StartsWith("FAIL", StringComparison.Ordinal)).Should().Be(1, doctor.Output);
        lines.Where(l => l.StartsWith("SKIP", StringComparison.Ordinal)).Should().HaveCountGreaterThan(5)
            .And.OnlyContain(l => l.EndsWith("skipped because 'credentials and region' failed", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("SKIP awsvip1: Source/Dest. Check", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("SKIP awsdns1: hosted zone", StringComparison.Ordinal))
            .And.Contain(l => l.StartsWith("SKIP awsazw1: zone", StringComparison.Ordinal));
        doctor.Output.Should().Contain("PASS NP target").And.Contain("doctor: 1 failure(s),").And.Contain("check(s) skipped because of it.");
    }

    [Fact]
    public async Task Doctor_UnknownEni_FailsOnTheFirstCheckOfIt_AndSkipsTheOthersOnIt()
    {
        var s = _emulator.Scenario!;
        const string Missing = "eni-0fffffffffffffff9";
        var config = WriteConfig(_ => { });
        File.WriteAllText(config, File.ReadAllText(config).Replace(s.Node1.EniId, Missing, StringComparison.Ordinal));
        try
        {
            var doctor = await ConsoleRun.RunAsync("doctor", "--config", config, "--node", "node1");

            doctor.Code.Should().Be(2);
            var failed = $"awsvip1: Source/Dest. Check on {Missing}";
            doctor.Output.Should().Contain($"FAIL {failed} — InvalidNetworkInterfaceID.NotFound").And.Contain("Fix: correct the ID in the configuration")
                .And.Contain($"SKIP awsvip1: IAM allows ec2:ReplaceRoute — skipped because '{failed}' failed")
                .And.Contain($"SKIP awseip1: allocation {s.EipAllocationId} exists — skipped because '{failed}' failed")
                .And.Contain($"PASS awsvip1: route tables holding").And.Contain("PASS awsdns1: hosted zone");
            doctor.Output.Split('\n').Count(l => l.StartsWith("FAIL", StringComparison.Ordinal)).Should().Be(1, doctor.Output);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Doctor_WitnessConfigured_ChecksTheTable_FailingWhileItIsMissing_PassingOnceSetUp()
    {
        var config = WriteConfig(j => j["ClusterPro"]!["Witness"] = new JsonObject { ["Type"] = "dynamodb", ["Table"] = "clusterpro-witness" });
        try
        {
            var missing = await ConsoleRun.RunAsync("doctor", "--config", config, "--node", "node1");
            using (var dynamo = _emulator.CreateDynamoDbClient())
            {
                await ClusterPro.Aws.Witness.DynamoDbWitnessTable.EnsureAsync(dynamo, "clusterpro-witness");
            }

            var ready = await ConsoleRun.RunAsync("doctor", "--config", config, "--node", "node1");

            missing.Code.Should().Be(2);
            missing.Output.Should().Contain("FAIL witness table clusterpro-witness — DynamoDB table 'clusterpro-witness' does not exist").And.Contain("Fix: create it");
            ready.Code.Should().Be(0, ready.Output);
            ready.Output.Should().Contain("PASS witness table clusterpro-witness — ACTIVE, PAY_PER_REQUEST, deletion protection on")
                .And.Contain("PASS witness table clusterpro-witness: key schema").And.Contain("PASS witness table clusterpro-witness: IAM allows dynamodb:PutItem");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Doctor_TwoNodesWithoutFencing_WarnsOfSplitBrainAndNamesBothFixes()
    {
        var unfenced = WriteConfig(j => j["ClusterPro"]!.AsObject().Remove("Fencing"));
        try
        {
            var doctor = await ConsoleRun.RunAsync("doctor", "--config", unfenced, "--node", "node1");

            doctor.Code.Should().Be(0, "a warning is not a failure: " + doctor.Output);
            doctor.Output.Should().Contain("WARN split-brain risk — Two nodes, no fencing and no witness")
                .And.Contain("ClusterPro:Fencing").And.Contain("UseMajority");
        }
        finally
        {
            File.Delete(unfenced);
        }
    }

    [Fact]
    public async Task Doctor_SourceDestCheckOnAndReplaceRouteDenied_FailsWithTheFix()
    {
        using var ec2 = _emulator.CreateEc2Client();
        await ec2.ModifyNetworkInterfaceAttributeAsync(new Amazon.EC2.Model.ModifyNetworkInterfaceAttributeRequest { NetworkInterfaceId = _emulator.Scenario!.Node1.EniId, SourceDestCheck = true });
        _emulator.Faults.Deny("ReplaceRoute", _emulator.Scenario.RouteTablePrivateA);

        var doctor = await ConsoleRun.RunAsync("doctor", "--config", _config, "--node", "node1");

        doctor.Code.Should().Be(2);
        doctor.Output.Should().Contain($"FAIL awsvip1: Source/Dest. Check on {_emulator.Scenario.Node1.EniId} — Source/Dest. Check is enabled").And.Contain("--no-source-dest-check");
        doctor.Output.Should().Contain($"FAIL awsvip1: IAM allows ec2:ReplaceRoute — not on {_emulator.Scenario.RouteTablePrivateA}");
    }

    [Fact]
    public async Task Doctor_RouteTableLookupRefused_SkipsTheReplaceRouteCheck_NamingTheLookup()
    {
        _emulator.Faults.Deny("DescribeRouteTables");

        var doctor = await ConsoleRun.RunAsync("doctor", "--config", _config, "--node", "node1");

        doctor.Code.Should().Be(2);
        var lookup = "awsvip1: route tables holding 10.1.0.20/32";
        doctor.Output.Should().Contain($"FAIL {lookup} — UnauthorizedOperation")
            .And.Contain($"SKIP awsvip1: IAM allows ec2:ReplaceRoute — skipped because '{lookup}' failed")
            .And.NotContain("PASS awsvip1: IAM allows ec2:ReplaceRoute").And.NotContain("0 table(s)");
    }

    [Fact]
    public async Task Check_MonitorThrows_IsThatMonitorsError_AndExits2()
    {
        // The VIP monitor lists the interface's addresses with iproute2: an interface this machine lacks makes ip fail.
        var config = WriteConfig(j =>
        {
            j["ClusterPro"]!["HostAddresses"]!["node1"]!["Kind"] = "linux";
            j["ClusterPro"]!["Groups"]!["failover1"]!["Resources"]![0]!["InterfaceName"] = "cpnosuch0";
        });
        try
        {
            // AWS points failover1 at node1 (activated with the usual configuration), so node1's check runs its monitors.
            (await ConsoleRun.RunAsync("activate", "--config", _config, "--node", "node1")).Code.Should().Be(0);
            var check = await ConsoleRun.RunAsync("check", "--config", config, "--node", "node1");

            check.Code.Should().Be(2, check.Output + check.Error);
            check.Output.Should().Contain("awsvipw1 Error 99 The monitor failed: InvalidOperationException: ").And.Contain("awsazw1 Normal 0");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task IamPolicy_IncludeSetup_AddsCreateTableForWitnessInit_OnlyWhenAsked()
    {
        var config = WriteConfig(j => j["ClusterPro"]!["Witness"] = new JsonObject { ["Type"] = "dynamodb", ["Table"] = "clusterpro-witness" });
        try
        {
            var setup = await ConsoleRun.RunAsync("iam-policy", "--config", config, "--include-setup");
            var plain = await ConsoleRun.RunAsync("iam-policy", "--config", config);
            var help = await ConsoleRun.RunAsync("iam-policy", "--help");

            setup.Code.Should().Be(0, setup.Error);
            setup.Output.Should().Contain("dynamodb:CreateTable").And.Contain("table/clusterpro-witness").And.Contain("ClusterProSetup1");
            plain.Code.Should().Be(0, plain.Error);
            plain.Output.Should().NotContain("dynamodb:CreateTable");
            help.Output.Should().Contain("--include-setup").And.Contain("witness-init");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Doctor_UnknownZone_FailsAsNotFound_NamingTheZone()
    {
        var config = WriteConfig(j => j["ClusterPro"]!["Monitors"]!["awsazw1"]!["AvailabilityZone"]!["Nodes"]!["node1"] = "ap-northeast-1z");
        try
        {
            var doctor = await ConsoleRun.RunAsync("doctor", "--config", config, "--node", "node1");

            doctor.Code.Should().Be(2, doctor.Output + doctor.Error);
            doctor.Output.Should().Contain("FAIL awsazw1: zone ap-northeast-1z — zone ap-northeast-1z not found").And.Contain("Fix: correct AvailabilityZone of awsazw1");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Doctor_DescribeAvailabilityZonesDenied_FailsOnce_AndSkipsTheZoneCheck()
    {
        _emulator.Faults.Deny("DescribeAvailabilityZones");

        var doctor = await ConsoleRun.RunAsync("doctor", "--config", _config, "--node", "node1");

        doctor.Code.Should().Be(2);
        doctor.Output.Should().Contain("FAIL credentials and region — UnauthorizedOperation")
            .And.Contain("SKIP awsazw1: zone ap-northeast-1a — skipped because 'credentials and region' failed")
            .And.Contain("PASS awsvip1: Source/Dest. Check");
        doctor.Output.Split('\n').Count(l => l.StartsWith("FAIL", StringComparison.Ordinal)).Should().Be(1, doctor.Output);
    }

    [Fact]
    public async Task Doctor_PrivateZone_ChecksEveryNodesVpc_NotOnlyTheCommonOne()
    {
        const string Other = "vpc-0fffffffffffffff9";
        var s = _emulator.Scenario!;
        var config = WriteConfig(j => j["ClusterPro"]!["Groups"]!["failover1"]!["Resources"]![0]!["VpcId"] = new JsonObject { ["Nodes"] = new JsonObject { ["node1"] = s.VpcId, ["node2"] = Other } });
        try
        {
            var doctor = await ConsoleRun.RunAsync("doctor", "--config", config, "--node", "node1");

            doctor.Code.Should().Be(2, doctor.Output + doctor.Error);
            doctor.Output.Should().Contain($"FAIL awsdns1: hosted zone {s.HostedZoneId} — private zone hz1.local. is not associated with {Other}.")
                .And.NotContain($"not associated with {s.VpcId}");
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Doctor_PingTarget_GetsItsOwnLine_NotSilence()
    {
        var config = WriteConfig(j => j["ClusterPro"]!["NetworkPartition"]!["Ping"] = new JsonArray("127.0.0.1"));
        try
        {
            var doctor = await ConsoleRun.RunAsync("doctor", "--config", config, "--node", "node1");

            // Pinged where this process may send ICMP; a WARN saying it was not probed where it may not.
            doctor.Output.Should().MatchRegex(@"(PASS NP target ping 127\.0\.0\.1 — answered in|WARN NP target ping 127\.0\.0\.1 — not probed by doctor: .*check it with ping 127\.0\.0\.1)");
            doctor.Code.Should().Be(0, doctor.Output);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Doctor_VipInsideTheVpcCidr_FailsWithCode53()
    {
        using var ec2 = _emulator.CreateEc2Client();
        await ec2.AssociateVpcCidrBlockAsync(new Amazon.EC2.Model.AssociateVpcCidrBlockRequest { VpcId = _emulator.Scenario!.VpcId, CidrBlock = "10.1.0.0/24" });

        var doctor = await ConsoleRun.RunAsync("doctor", "--config", _config, "--node", "node1");

        doctor.Code.Should().Be(2);
        doctor.Output.Should().Contain($"FAIL awsvip1: VPC {_emulator.Scenario.VpcId} — (53 : The VIP address 10.1.0.20 belongs to a VPC subnet.)");
    }

    [Fact]
    public async Task BadConfiguration_Exits64_NamingTheSettingAndTheFix()
    {
        var bad = WriteConfig(j => j["ClusterPro"]!["Groups"]!["failover1"]!["Resources"]![0]!["VpcId"] = "vpc-XYZ");
        try
        {
            var result = await ConsoleRun.RunAsync("check", "--config", bad, "--node", "node1");

            result.Code.Should().Be(64);
            result.Error.Should().Contain("ClusterPro:Groups:failover1:Resources:awsvip1:VpcId is 'vpc-XYZ', which is not a vpc ID; use the form vpc-0123456789abcdef0");
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Theory]
    [InlineData("activate")]
    [InlineData("check")]
    [InlineData("doctor")]
    [InlineData("status")]
    public async Task UnknownNode_Exits64_WithTheSameMessageInEveryCommand(string command)
    {
        var result = await ConsoleRun.RunAsync(command, "--config", _config, "--node", "node9");

        result.Code.Should().Be(64);
        result.Error.Should().Contain("--node node9 is not a node of ClusterPro:Nodes (node1, node2).");
    }
}
