using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>Every AWS region served from its own state, with AWS's default VPC; the option's region is a default, not a lock.</summary>
public class RegionsTests
{
    private static Filter F(string name, params string[] values) => new(name, [.. values]);

    [Fact]
    public async Task AnyRegion_KeepsItsOwnEc2AndDynamoDbState()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var oregon = emu.CreateEc2Client("us-west-2");
        using var ireland = emu.CreateEc2Client("eu-west-1");
        using var oregonDb = emu.CreateDynamoDbClient("us-west-2");
        using var homeDb = emu.CreateDynamoDbClient();

        var vpc = (await oregon.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.50.0.0/16" })).Vpc;
        await oregonDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = "only-in-oregon",
            KeySchema = [new KeySchemaElement("pk", Amazon.DynamoDBv2.KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });

        (await oregon.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpc.VpcId] })).Vpcs.Should().ContainSingle();
        var elsewhere = () => ireland.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpc.VpcId] });
        (await elsewhere.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidVpcID.NotFound");
        (await oregonDb.ListTablesAsync(new ListTablesRequest())).TableNames.Should().Equal("only-in-oregon");
        (await homeDb.ListTablesAsync(new ListTablesRequest())).TableNames.Should().BeNullOrEmpty();
        (await oregon.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest())).AvailabilityZones.Select(z => z.ZoneId)
            .Should().Equal("usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4");
        emu.Calls.Where(c => c.Operation == "CreateVpc").Should().ContainSingle().Which.Region.Should().Be("us-west-2");
    }

    [Fact]
    public async Task DescribeRegions_ListsTheCallersPartition_WithEndpointsAndOptInStatus()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client("us-east-1");
        using var china = emu.CreateEc2Client("cn-north-1");

        var regions = (await ec2.DescribeRegionsAsync(new DescribeRegionsRequest())).Regions;
        var chinese = (await china.DescribeRegionsAsync(new DescribeRegionsRequest())).Regions;
        var one = (await ec2.DescribeRegionsAsync(new DescribeRegionsRequest { RegionNames = ["eu-south-1"] })).Regions.Single();
        var unknown = () => ec2.DescribeRegionsAsync(new DescribeRegionsRequest { RegionNames = ["cn-north-1"] });

        regions.Select(r => r.RegionName).Should().Contain(["us-east-1", "ap-northeast-1", "eu-west-1", "sa-east-1"]).And.NotContain("cn-north-1").And.NotContain("us-gov-west-1");
        regions.Single(r => r.RegionName == "ap-northeast-1").Endpoint.Should().Be("ec2.ap-northeast-1.amazonaws.com");
        regions.Single(r => r.RegionName == "us-east-1").OptInStatus.Should().Be("opt-in-not-required");
        one.OptInStatus.Should().Be("opted-in", "eu-south-1 is an opt-in region, enabled here");
        chinese.Select(r => r.RegionName).Should().BeEquivalentTo("cn-north-1", "cn-northwest-1");
        chinese.Single(r => r.RegionName == "cn-north-1").Endpoint.Should().Be("ec2.cn-north-1.amazonaws.com.cn");
        (await unknown.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Theory]
    [InlineData("us-east-1", 6)]
    [InlineData("ap-northeast-1", 3)]
    [InlineData("us-west-1", 2)]
    public async Task EveryRegion_HasAwsDefaultVpc_WithADefaultSubnetPerZone_AndAnInternetGateway(string region, int zones)
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        using var ec2 = emu.CreateEc2Client(region);

        var vpc = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [F("is-default", "true")] })).Vpcs.Single();
        var subnets = (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [F("vpc-id", vpc.VpcId)] })).Subnets;
        var gateway = (await ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { Filters = [F("attachment.vpc-id", vpc.VpcId)] })).InternetGateways.Single();
        var main = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [F("vpc-id", vpc.VpcId), F("association.main", "true")] })).RouteTables.Single();
        var hostnames = await ec2.DescribeVpcAttributeAsync(new DescribeVpcAttributeRequest { VpcId = vpc.VpcId, Attribute = VpcAttributeName.EnableDnsHostnames });

        vpc.CidrBlock.Should().Be("172.31.0.0/16");
        vpc.IsDefault.Should().BeTrue();
        subnets.Should().HaveCount(zones).And.OnlyContain(s => s.DefaultForAz == true && s.MapPublicIpOnLaunch == true && s.AvailableIpAddressCount == 4091);
        subnets.Select(s => s.CidrBlock).Should().BeEquivalentTo(Enumerable.Range(0, zones).Select(i => $"172.31.{i * 16}.0/20"));
        subnets.Select(s => s.AvailabilityZone).Should().OnlyHaveUniqueItems().And.OnlyContain(z => z.StartsWith(region, StringComparison.Ordinal));
        gateway.Attachments.Single().State.Value.Should().Be("available");
        main.Routes.Should().ContainSingle(r => r.DestinationCidrBlock == "0.0.0.0/0").Which.GatewayId.Should().Be(gateway.InternetGatewayId);
        hostnames.EnableDnsHostnames.Should().BeTrue();
    }

    [Fact]
    public async Task RunInstances_WithoutASubnet_LaunchesIntoTheDefaultSubnet_WithAPublicAddress()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1, TimeProvider = time, Region = "us-east-1" });
        using var ec2 = emu.CreateEc2Client();

        var first = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 1 })).Reservation.Instances.Single();
        var placed = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 1, Placement = new Amazon.EC2.Model.Placement { AvailabilityZone = "us-east-1c" } })).Reservation.Instances.Single();
        var defaultSubnets = (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [F("default-for-az", "true")] })).Subnets;

        defaultSubnets.Single(s => s.SubnetId == first.SubnetId).AvailabilityZone.Should().Be("us-east-1a");
        defaultSubnets.Single(s => s.SubnetId == placed.SubnetId).AvailabilityZone.Should().Be("us-east-1c");
        placed.Placement.AvailabilityZone.Should().Be("us-east-1c");
        first.PublicIpAddress.Should().NotBeNullOrEmpty("a default subnet maps a public IPv4 address on launch");
        first.PublicDnsName.Should().Be($"ec2-{first.PublicIpAddress.Replace('.', '-')}.compute-1.amazonaws.com");
        first.PrivateDnsName.Should().Be($"ip-{first.PrivateIpAddress.Replace('.', '-')}.ec2.internal");
        first.NetworkInterfaces.Single().Association.IpOwnerId.Should().Be("amazon");
        first.SecurityGroups.Single().GroupName.Should().Be("default");
    }

    [Fact]
    public async Task WithoutADefaultVpc_RunInstancesNeedsASubnet_AndCreateDefaultVpcBringsItBack()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        var vpc = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [F("isDefault", "true")] })).Vpcs.Single();
        var gateway = (await ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest())).InternetGateways.Single();

        foreach (var subnet in (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest())).Subnets)
        {
            await ec2.DeleteSubnetAsync(new DeleteSubnetRequest { SubnetId = subnet.SubnetId });
        }

        var attached = () => ec2.DeleteVpcAsync(new DeleteVpcRequest { VpcId = vpc.VpcId });
        (await attached.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("DependencyViolation", "an attached internet gateway is a dependency");
        await ec2.DetachInternetGatewayAsync(new DetachInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId, VpcId = vpc.VpcId });
        await ec2.DeleteInternetGatewayAsync(new DeleteInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId });
        await ec2.DeleteVpcAsync(new DeleteVpcRequest { VpcId = vpc.VpcId });
        var launch = () => ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 1 });
        var group = () => ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "g", Description = "g" });

        (await launch.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("VPCIdNotSpecified");
        (await group.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("VPCIdNotSpecified");
        var recreated = (await ec2.CreateDefaultVpcAsync(new CreateDefaultVpcRequest())).Vpc;
        var again = () => ec2.CreateDefaultVpcAsync(new CreateDefaultVpcRequest());
        recreated.CidrBlock.Should().Be("172.31.0.0/16");
        recreated.VpcId.Should().NotBe(vpc.VpcId);
        (await again.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("DefaultVpcAlreadyExists");
        (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "g", Description = "g" })).GroupId.Should().StartWith("sg-");
    }

    [Fact]
    public async Task CanonicalScenario_StaysInTheDefaultRegion_BesideTheDefaultVpc()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client();
        var s = emu.Scenario!;

        var vpcs = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs;
        var vipTables = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [F("route.destination-cidr-block", s.VipCidr)] })).RouteTables;

        s.Region.Should().Be("ap-northeast-1");
        vpcs.Select(v => (v.CidrBlock, v.IsDefault)).Should().BeEquivalentTo([("10.0.0.0/16", false), ("172.31.0.0/16", true)]);
        vipTables.Select(t => t.RouteTableId).Should().BeEquivalentTo(s.VipRouteTables);
    }
}
