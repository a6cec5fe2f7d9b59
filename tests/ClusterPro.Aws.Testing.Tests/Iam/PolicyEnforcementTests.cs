using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace ClusterPro.Aws.Testing.Tests.Iam;

/// <summary>The emulator enforcing an IAM policy, seen through the real AWS SDK over HTTP: each service's own refusal.</summary>
public class PolicyEnforcementTests
{
    private static Task<AwsEmulator> StartAsync(string statements) => AwsEmulator.StartAsync(new AwsEmulatorOptions
    {
        Scenario = EmulatorScenario.Canonical,
        DnsPort = -1,
        Route53PropagationDelay = TimeSpan.Zero,
        Policy = $$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""",
    });

    [Fact]
    public async Task Ec2_ActionNotInThePolicy_IsUnauthorizedOperation403_NamingTheAction()
    {
        await using var emu = await StartAsync("""{"Effect":"Allow","Action":["ec2:DescribeVpcs","ec2:DescribeRouteTables"],"Resource":"*"}""");
        using var ec2 = emu.CreateEc2Client();

        await ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        var act = () => ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest());

        var ex = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("UnauthorizedOperation");
        ex.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        ex.Message.Should().Be("You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: ec2:DescribeNetworkInterfaces because no identity-based policy allows the ec2:DescribeNetworkInterfaces action");
        emu.Calls.Last().Should().Be(new Hosting.EmulatorCall("ec2", "DescribeNetworkInterfaces", emu.Region, 403, "UnauthorizedOperation"));
    }

    [Fact]
    public async Task Ec2_ReplaceRoute_IsAuthorizedOnTheRouteTableArn_AndItsVpcCondition()
    {
        var peek = await PeekScenarioAsync();
        await using var emu = await StartAsync("""
            {"Effect":"Allow","Action":"ec2:ReplaceRoute","Resource":"arn:aws:ec2:*:*:route-table/*","Condition":{"ArnLike":{"ec2:Vpc":"arn:aws:ec2:*:*:vpc/vpc-0000000000000000f"}}},
            {"Effect":"Allow","Action":"ec2:ReplaceRoute","Resource":"arn:aws:ec2:*:*:route-table/*","Condition":{"ArnLike":{"ec2:Vpc":"arn:aws:ec2:*:*:vpc/VPC"}}},
            {"Effect":"Deny","Action":"ec2:ReplaceRoute","Resource":"arn:aws:ec2:*:*:route-table/RTB"}
            """.Replace("VPC", peek.VpcId, StringComparison.Ordinal).Replace("RTB", peek.RouteTablePrivateB, StringComparison.Ordinal));
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();
        ReplaceRouteRequest Move(string table, bool dryRun = false) => new() { RouteTableId = table, DestinationCidrBlock = s.VipCidr, NetworkInterfaceId = s.Node2.EniId, DryRun = dryRun };

        await ec2.ReplaceRouteAsync(Move(s.RouteTablePrivateA));
        var denied = () => ec2.ReplaceRouteAsync(Move(s.RouteTablePrivateB));
        var dryRunAllowed = () => ec2.ReplaceRouteAsync(Move(s.RouteTablePublicAB, dryRun: true));
        var dryRunDenied = () => ec2.ReplaceRouteAsync(Move(s.RouteTablePrivateB, dryRun: true));

        emu.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node2.EniId);
        var ex = (await denied.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("UnauthorizedOperation");
        ex.Message.Should().Contain($"ec2:ReplaceRoute on resource: arn:aws:ec2:{emu.Region}:123456789012:route-table/{s.RouteTablePrivateB} with an explicit deny");
        (await dryRunAllowed.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("DryRunOperation");
        (await dryRunDenied.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnauthorizedOperation");
        emu.Inspect.RouteTarget(s.RouteTablePrivateB, s.VipCidr).Should().Be(s.Node1.EniId);
    }

    [Fact]
    public async Task Ec2_StopInstancesWithoutAnInstanceId_IsNotAllowedByAnInstanceScopedPolicy()
    {
        await using var emu = await StartAsync("""{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"arn:aws:ec2:*:*:instance/*"}""");
        using var ec2 = emu.CreateEc2Client();

        var act = () => ec2.StopInstancesAsync(new StopInstancesRequest());

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnauthorizedOperation");
    }

    [Fact]
    public async Task Ec2_AssociateAddress_NeedsTheAddressAndTheNetworkInterface()
    {
        var peek = await PeekScenarioAsync();
        await using var emu = await StartAsync($$"""{"Effect":"Allow","Action":"ec2:AssociateAddress","Resource":["arn:aws:ec2:*:*:elastic-ip/{{peek.EipAllocationId}}","arn:aws:ec2:*:*:network-interface/{{peek.Node1.EniId}}"]}""");
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        await ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = s.EipAllocationId, NetworkInterfaceId = s.Node1.EniId, AllowReassociation = true });
        var act = () => ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = s.EipAllocationId, NetworkInterfaceId = s.Node2.EniId, AllowReassociation = true });

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.Message.Should().Contain($"network-interface/{s.Node2.EniId} because no identity-based policy allows");
        emu.Inspect.AddressTarget(s.EipAllocationId).Should().Be(s.Node1.EniId);
    }

    [Fact]
    public async Task DynamoDb_OtherTable_IsAccessDeniedException400_InItsJsonShape()
    {
        await using var emu = await StartAsync("""{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:*:*:table/witness"}""");
        using var dynamo = emu.CreateDynamoDbClient();
        var create = new CreateTableRequest
        {
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("group", Amazon.DynamoDBv2.KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("group", ScalarAttributeType.S)],
        };

        create.TableName = "witness";
        await dynamo.CreateTableAsync(create);
        create.TableName = "other";
        var act = () => dynamo.CreateTableAsync(create);

        var ex = (await act.Should().ThrowAsync<AmazonDynamoDBException>()).Which;
        ex.ErrorCode.Should().Be("AccessDeniedException");
        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        ex.Message.Should().Be($"User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: dynamodb:CreateTable on resource: arn:aws:dynamodb:{emu.Region}:123456789012:table/other because no identity-based policy allows the dynamodb:CreateTable action");
    }

    [Fact]
    public async Task Route53_OtherZone_IsAccessDenied403_InItsXmlErrorShape()
    {
        await using var emu = await StartAsync("""{"Effect":"Allow","Action":"route53:GetHostedZone","Resource":"arn:aws:route53:::hostedzone/ZOTHER"}""");
        var s = emu.Scenario!;
        using var route53 = new Route53Http(emu);

        var (status, body) = await route53.SendAsync(HttpMethod.Get, $"/2013-04-01/hostedzone/{s.HostedZoneId}");

        status.Should().Be(403);
        body.Name.Should().Be(Route53Http.R53 + "ErrorResponse");
        var error = body.Element(Route53Http.R53 + "Error")!;
        error.Element(Route53Http.R53 + "Type")!.Value.Should().Be("Sender");
        error.Element(Route53Http.R53 + "Code")!.Value.Should().Be("AccessDenied");
        error.Element(Route53Http.R53 + "Message")!.Value.Should().Be($"User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: route53:GetHostedZone on resource: arn:aws:route53:::hostedzone/{s.HostedZoneId} because no identity-based policy allows the route53:GetHostedZone action");
    }

    [Fact]
    public async Task Sts_GetCallerIdentity_NeedsNoPermission_EvenUnderADenyAll()
    {
        await using var emu = await StartAsync("""{"Effect":"Deny","Action":"*","Resource":"*"}""");
        using var sts = new AmazonSecurityTokenServiceClient(emu.Credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = emu.Endpoint.ToString(), AuthenticationRegion = emu.Region });

        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        identity.Account.Should().Be("123456789012");
    }

    [Fact]
    public async Task Start_PolicyWithAConditionKeyItCannotEvaluate_IsRefusedNamingTheOptionAndTheKey()
    {
        var act = () => StartAsync("""{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}""");

        (await act.Should().ThrowAsync<ArgumentException>()).WithMessage("AwsEmulatorOptions.Policy: *condition operator Bool*");
    }

    [Fact]
    public async Task SetPolicy_ReplacesThePolicyFromTheNextRequest_AndNullLiftsIt()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        var describe = () => ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        await describe();
        emu.SetPolicy("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeSubnets","Resource":"*"}]}""");
        (await describe.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnauthorizedOperation");
        emu.SetPolicy(null);
        await describe();
        var bad = () => emu.SetPolicy("""{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}}""");
        bad.Should().Throw<ArgumentException>().WithMessage("SetPolicy: *aws:SourceVpc*");
    }

    [Fact]
    public async Task StandaloneHost_WithPolicyFile_EnforcesIt()
    {
        var file = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeVpcs","Resource":"*"}]}""");
        using var host = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ClusterPro.Aws.Emulator.dll"), "--port", "0", "--dns-port", "-1", "--policy", file, "--exit-on-stdin-close"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var ready = JsonDocument.Parse((await host.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!);
            var root = ready.RootElement;
            using var ec2 = new AmazonEC2Client(
                new Amazon.Runtime.BasicAWSCredentials(root.GetProperty("accessKeyId").GetString(), root.GetProperty("secretAccessKey").GetString()),
                new AmazonEC2Config { ServiceURL = root.GetProperty("endpoint").GetString(), AuthenticationRegion = root.GetProperty("region").GetString(), MaxErrorRetry = 0 });

            (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Should().NotBeEmpty();
            var act = () => ec2.DescribeInstancesAsync(new DescribeInstancesRequest());
            (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnauthorizedOperation");
        }
        finally
        {
            host.StandardInput.Close();
            await host.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            File.Delete(file);
        }
    }

    /// <summary>The canonical scenario's IDs (the same for every emulator with the same seed), to write a policy before starting one.</summary>
    private static async Task<Scenarios.CanonicalScenario> PeekScenarioAsync()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        return emu.Scenario!;
    }
}
