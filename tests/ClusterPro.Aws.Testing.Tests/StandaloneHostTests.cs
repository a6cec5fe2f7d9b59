using System.Diagnostics;
using System.Text.Json;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>The standalone emulator host, and the AWS CLI (Debian's awscli, which .ci/run installs) against it.</summary>
public class StandaloneHostTests
{
    private const string AwsCli = "/usr/bin/aws";

    [Fact]
    public async Task StandaloneHost_PrintsOneJsonLine_WithEndpointCredentialsAndScenarioIds_AndServesEveryRegion()
    {
        using var host = StartHost("--port", "0", "--dns-port", "0", "--scenario", "canonical", "--region", "us-west-2", "--exit-on-stdin-close");
        try
        {
            var line = await host.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            using var json = JsonDocument.Parse(line!);
            var root = json.RootElement;

            root.GetProperty("endpoint").GetString().Should().StartWith("http://127.0.0.1:");
            root.GetProperty("dnsEndpoint").GetString().Should().StartWith("127.0.0.1:");
            root.GetProperty("region").GetString().Should().Be("us-west-2");
            root.GetProperty("accessKeyId").GetString().Should().NotBeNullOrEmpty();
            root.GetProperty("secretAccessKey").GetString().Should().NotBeNullOrEmpty();
            root.GetProperty("scenario").GetProperty("vpcId").GetString().Should().StartWith("vpc-");
            root.GetProperty("scenario").GetProperty("node1").GetProperty("eniId").GetString().Should().StartWith("eni-");

            var credentials = new Amazon.Runtime.BasicAWSCredentials(root.GetProperty("accessKeyId").GetString(), root.GetProperty("secretAccessKey").GetString());
            Amazon.EC2.AmazonEC2Client Client(string region) => new(credentials, new Amazon.EC2.AmazonEC2Config { ServiceURL = root.GetProperty("endpoint").GetString(), AuthenticationRegion = region, MaxErrorRetry = 0 });
            using var oregon = Client("us-west-2");
            using var frankfurt = Client("eu-central-1");
            var home = (await oregon.DescribeVpcsAsync(new Amazon.EC2.Model.DescribeVpcsRequest())).Vpcs;
            var elsewhere = (await frankfurt.DescribeVpcsAsync(new Amazon.EC2.Model.DescribeVpcsRequest())).Vpcs;
            home.Select(v => v.VpcId).Should().Contain(root.GetProperty("scenario").GetProperty("vpcId").GetString(), "--region is where the scenario is seeded");
            elsewhere.Should().ContainSingle("another region holds only its default VPC").Which.CidrBlock.Should().Be("172.31.0.0/16");
        }
        finally
        {
            await StopAsync(host);
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task StandaloneHost_Signal_StopsOnItsOwn_WithCodeZero(string signal)
    {
        using var host = StartHost("--port", "0", "--dns-port", "0", "--scenario", "canonical");
        try
        {
            using var ready = JsonDocument.Parse((await host.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!);
            using var emu = new HttpClient { BaseAddress = new Uri(ready.RootElement.GetProperty("endpoint").GetString()! + "/") };
            (await emu.GetAsync("_emulator/health")).EnsureSuccessStatusCode();

            using (var kill = Process.Start("kill", ["-" + signal, host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            // A host that ignored the signal, or hung in its shutdown, would still run when this wait ends: a bound on a
            // hang, not a measure of speed.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var exited = await host.WaitForExitAsync(cts.Token).ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);

            exited.Should().BeTrue($"the emulator stops on SIG{signal} by itself");
            host.ExitCode.Should().Be(0);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("--policy /nonexistent/policy.json", "--policy /nonexistent/policy.json: the file does not exist")]
    [InlineData("--port", "--port needs a value.")]
    [InlineData("--scenario bogus", "--scenario bogus is not known; use canonical or empty.")]
    [InlineData("--port abc", "--port abc: give a whole number.")]
    [InlineData("--propagation-delay soon", "--propagation-delay soon: give a number of seconds, 0 or more.")]
    [InlineData("--bogus", "Unknown option --bogus.")]
    public async Task StandaloneHost_BadOption_PrintsOneLine_AndExits64(string arguments, string expected)
    {
        using var host = StartHost(arguments.Split(' '));
        var error = host.StandardError.ReadToEndAsync();
        var output = host.StandardOutput.ReadToEndAsync();
        try
        {
            // A bound on a hang, not a measure of speed.
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.WaitForExitAsync(cts.Token);

            host.ExitCode.Should().Be(64);
            var lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Should().ContainSingle().Which.Should().StartWith(expected).And.NotContain("   at ");
            (await output).Should().BeEmpty();
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }
        }
    }

    [SkippableFact]
    public async Task AwsCli_AgainstTheEmulator_DescribesRoutesAndChangesRecords()
    {
        Skip.IfNot(File.Exists(AwsCli), $"{AwsCli} is not installed (Debian package awscli; .ci/run installs it).");
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        var s = emu.Scenario!;

        var routes = await RunCliAsync(emu, "ec2", "describe-route-tables", "--filters", $"Name=route.destination-cidr-block,Values={s.VipCidr}", "--query", "RouteTables[].RouteTableId", "--output", "text");
        var replace = await RunCliAsync(emu, "ec2", "replace-route", "--route-table-id", s.RouteTablePrivateA, "--destination-cidr-block", s.VipCidr, "--network-interface-id", s.Node2.EniId);
        var zone = await RunCliAsync(emu, "ec2", "describe-availability-zones", "--zone-names", "ap-northeast-1z");
        var upsert = await RunCliAsync(emu, "route53", "--region", "us-east-1", "change-resource-record-sets", "--hosted-zone-id", s.HostedZoneId, "--change-batch",
            "{\"Changes\":[{\"Action\":\"UPSERT\",\"ResourceRecordSet\":{\"Name\":\"srv.hz1.local.\",\"Type\":\"A\",\"TTL\":60,\"ResourceRecords\":[{\"Value\":\"10.0.120.101\"}]}}]}");
        var create = await RunCliAsync(emu, "route53", "--region", "us-east-1", "change-resource-record-sets", "--hosted-zone-id", s.HostedZoneId, "--change-batch",
            "{\"Changes\":[{\"Action\":\"CREATE\",\"ResourceRecordSet\":{\"Name\":\"srv.hz1.local.\",\"Type\":\"A\",\"TTL\":60,\"ResourceRecords\":[{\"Value\":\"10.0.120.101\"}]}}]}");

        routes.Output.Split((char[])['\t', '\n'], StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(s.VipRouteTables);
        replace.ExitCode.Should().Be(0, replace.Error);
        emu.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node2.EniId);
        zone.ExitCode.Should().NotBe(0);
        zone.Error.Should().Contain("(InvalidParameterValue)").And.Contain("Invalid availability zone: [ap-northeast-1z]");
        upsert.ExitCode.Should().Be(0, upsert.Error);
        emu.Inspect.Record(s.HostedZoneId, "srv.hz1.local.")!.Value.Values.Should().Equal("10.0.120.101");
        create.Error.Should().Contain("(InvalidChangeBatch)").And.Contain("but it already exists");
    }

    [SkippableFact]
    public async Task AwsCli_DynamoDb_CreatesATable_AndConditionalPutFailsTheSecondTime()
    {
        Skip.IfNot(File.Exists(AwsCli), $"{AwsCli} is not installed (Debian package awscli; .ci/run installs it).");
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });

        var create = await RunCliAsync(emu, "dynamodb", "create-table", "--table-name", "leases", "--billing-mode", "PAY_PER_REQUEST",
            "--key-schema", "AttributeName=pk,KeyType=HASH", "--attribute-definitions", "AttributeName=pk,AttributeType=S");
        string[] put = ["dynamodb", "put-item", "--table-name", "leases", "--item", "{\"pk\":{\"S\":\"g\"},\"rvn\":{\"N\":\"1\"}}", "--condition-expression", "attribute_not_exists(pk)"];
        var first = await RunCliAsync(emu, put);
        var second = await RunCliAsync(emu, put);
        var get = await RunCliAsync(emu, "dynamodb", "get-item", "--table-name", "leases", "--key", "{\"pk\":{\"S\":\"g\"}}", "--consistent-read", "--query", "Item.rvn.N", "--output", "text");
        var missing = await RunCliAsync(emu, "dynamodb", "describe-table", "--table-name", "nope");

        create.ExitCode.Should().Be(0, create.Error);
        first.ExitCode.Should().Be(0, first.Error);
        second.ExitCode.Should().NotBe(0);
        second.Error.Should().Contain("(ConditionalCheckFailedException)").And.Contain("The conditional request failed");
        get.Output.Trim().Should().Be("1");
        missing.Error.Should().Contain("(ResourceNotFoundException)");
    }

    [SkippableFact]
    public async Task AwsCli_StsGetCallerIdentity_NamesTheEmulatorAccount()
    {
        Skip.IfNot(File.Exists(AwsCli), $"{AwsCli} is not installed (Debian package awscli; .ci/run installs it).");
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });

        var identity = await RunCliAsync(emu, "sts", "get-caller-identity", "--query", "Account", "--output", "text");

        identity.ExitCode.Should().Be(0, identity.Error);
        identity.Output.Trim().Should().Be("123456789012");
    }

    [SkippableFact]
    public async Task AwsCli_AgainstTheStandaloneHost_DescribesTheSeededVpc()
    {
        Skip.IfNot(File.Exists(AwsCli), $"{AwsCli} is not installed (Debian package awscli; .ci/run installs it).");
        using var host = StartHost("--port", "0", "--dns-port", "-1", "--scenario", "canonical", "--exit-on-stdin-close");
        try
        {
            using var ready = JsonDocument.Parse((await host.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!);
            var root = ready.RootElement;
            var info = new ProcessStartInfo(AwsCli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "--endpoint-url", root.GetProperty("endpoint").GetString()!, "ec2", "describe-vpcs", "--query", "Vpcs[?IsDefault==`false`].VpcId", "--output", "text" })
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["AWS_ACCESS_KEY_ID"] = root.GetProperty("accessKeyId").GetString();
            info.Environment["AWS_SECRET_ACCESS_KEY"] = root.GetProperty("secretAccessKey").GetString();
            info.Environment["AWS_DEFAULT_REGION"] = root.GetProperty("region").GetString();
            info.Environment["AWS_CONFIG_FILE"] = "/dev/null";
            info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
            using var cli = Process.Start(info)!;
            var output = await cli.StandardOutput.ReadToEndAsync();
            var error = await cli.StandardError.ReadToEndAsync();
            await cli.WaitForExitAsync();

            cli.ExitCode.Should().Be(0, error);
            output.Trim().Should().Be(root.GetProperty("scenario").GetProperty("vpcId").GetString());
        }
        finally
        {
            await StopAsync(host);
        }
    }

    private static Process StartHost(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ClusterPro.Aws.Emulator.dll");
        // SIGINT handled as by default (env --default-signal): a test run in the background inherits it ignored, and .NET
        // keeps an inherited ignore, so the SIGINT test would wait for nothing.
        var info = new ProcessStartInfo("/usr/bin/env") { RedirectStandardOutput = true, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }

    private static async Task StopAsync(Process host)
    {
        host.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await host.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            host.Kill(entireProcessTree: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunCliAsync(AwsEmulator emu, params string[] args)
    {
        var info = new ProcessStartInfo(AwsCli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--endpoint-url");
        info.ArgumentList.Add(emu.Endpoint.ToString().TrimEnd('/'));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in emu.EnvironmentVariables)
        {
            info.Environment[k] = v;
        }

        info.Environment["AWS_PAGER"] = string.Empty;
        info.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        info.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
