using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Aws.Testing.Tests;

public class Ec2EmulatorTests
{
    private static Filter F(string name, params string[] values) => new(name, [.. values]);

    [Fact]
    public async Task DescribeRouteTables_VpcAndVipRouteFilters_FindsTheThreeCanonicalTables()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        var response = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [F("vpc-id", s.VpcId), F("route.destination-cidr-block", s.VipCidr)] });

        response.RouteTables.Select(t => t.RouteTableId).Should().BeEquivalentTo(s.VipRouteTables);
        response.RouteTables.Should().OnlyContain(t => t.Routes.Single(r => r.DestinationCidrBlock == s.VipCidr).NetworkInterfaceId == s.Node1.EniId);
        response.RouteTables.SelectMany(t => t.Routes).Where(r => r.DestinationCidrBlock == s.VipCidr).Should().OnlyContain(r => r.State == RouteState.Active && r.InstanceId == s.Node1.InstanceId);
    }

    [Fact]
    public async Task DescribeRouteTables_AssociationSubnetFilter_FindsTheSubnetsTable()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client();

        var response = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [F("association.subnet-id", emu.Scenario!.PrivateSubnetC)] });

        response.RouteTables.Should().ContainSingle().Which.RouteTableId.Should().Be(emu.Scenario.RouteTablePrivateB);
    }

    [Fact]
    public async Task ReplaceRoute_PointsTheRouteAtTheNewEni()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        await ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = s.RouteTablePrivateA, DestinationCidrBlock = s.VipCidr, NetworkInterfaceId = s.Node2.EniId });

        emu.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node2.EniId);
        emu.Inspect.RouteTarget(s.RouteTablePrivateB, s.VipCidr).Should().Be(s.Node1.EniId);
    }

    [Theory]
    [InlineData("rtb-0000000000000dead", "10.1.0.20/32", "InvalidRouteTableID.NotFound", "The routeTable ID 'rtb-0000000000000dead' does not exist")]
    [InlineData(null, "10.9.9.9/32", "InvalidRoute.NotFound", "no route with destination-cidr-block 10.9.9.9/32 in route table")]
    public async Task ReplaceRoute_Unknown_GivesAwsError(string? table, string cidr, string code, string message)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client();

        var act = () => ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = table ?? emu.Scenario!.RouteTablePrivateA, DestinationCidrBlock = cidr, NetworkInterfaceId = emu.Scenario!.Node2.EniId });

        var ex = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be(code);
        ex.Message.Should().StartWith(message);
        ex.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
        ex.RequestId.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task CreateRoute_ExistingDestination_IsRouteAlreadyExists_AndDeleteRouteRemovesIt()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        var create = () => ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = s.RouteTablePrivateA, DestinationCidrBlock = s.VipCidr, NetworkInterfaceId = s.Node2.EniId });
        (await create.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("RouteAlreadyExists");

        await ec2.DeleteRouteAsync(new DeleteRouteRequest { RouteTableId = s.RouteTablePrivateA, DestinationCidrBlock = s.VipCidr });
        emu.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().BeNull();
        await create();
        emu.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node2.EniId);
    }

    [Fact]
    public async Task AssociateVpcCidrBlock_ShowsInDescribeVpcs_AndUnknownVpcIsNotFound()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client();

        await ec2.AssociateVpcCidrBlockAsync(new AssociateVpcCidrBlockRequest { VpcId = emu.Scenario!.VpcId, CidrBlock = "10.2.0.0/16" });
        var vpc = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [emu.Scenario.VpcId] })).Vpcs.Single();
        var missing = () => ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = ["vpc-0123456789abcdef0"] });

        vpc.CidrBlock.Should().Be("10.0.0.0/16");
        vpc.CidrBlockAssociationSet.Select(a => a.CidrBlock).Should().Equal("10.0.0.0/16", "10.2.0.0/16");
        var ex = (await missing.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("InvalidVpcID.NotFound");
        ex.Message.Should().Be("The vpc ID 'vpc-0123456789abcdef0' does not exist");
    }

    [Fact]
    public async Task CreateVpcSubnetEniAndRouteTable_FromScratch_WorkThroughTheSdk()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        using var ec2 = emu.CreateEc2Client();

        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc;
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc.VpcId, CidrBlock = "10.0.1.0/24", AvailabilityZone = "ap-northeast-1c" })).Subnet;
        var eni = (await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = subnet.SubnetId, PrivateIpAddress = "10.0.1.50" })).NetworkInterface;
        var table = (await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = vpc.VpcId })).RouteTable;
        await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = table.RouteTableId, SubnetId = subnet.SubnetId });
        await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = table.RouteTableId, DestinationCidrBlock = "192.168.0.1/32", NetworkInterfaceId = eni.NetworkInterfaceId });
        var subnets = await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [F("availability-zone", "ap-northeast-1c"), F("default-for-az", "false")] });
        var enis = await ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [eni.NetworkInterfaceId] });

        vpc.VpcId.Should().MatchRegex("^vpc-[0-9a-f]{17}$");
        subnet.AvailabilityZone.Should().Be("ap-northeast-1c");
        subnets.Subnets.Should().ContainSingle().Which.SubnetId.Should().Be(subnet.SubnetId);
        enis.NetworkInterfaces.Single().PrivateIpAddress.Should().Be("10.0.1.50");
        emu.Inspect.RouteTarget(table.RouteTableId, "192.168.0.1/32").Should().Be(eni.NetworkInterfaceId);
    }

    [Fact]
    public async Task CreateSubnet_UnknownVpc_IsInvalidVpcIdNotFound_AndUnknownSubnetIsInvalidSubnetIdNotFound()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client();

        var create = () => ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = "vpc-0000000000000beef", CidrBlock = "10.0.1.0/24" });
        var describe = () => ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = ["subnet-0000000000000beef"] });

        (await create.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidVpcID.NotFound");
        (await describe.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidSubnetID.NotFound");
    }

    [Fact]
    public async Task ModifyNetworkInterfaceAttribute_SourceDestCheck_IsReported_AndUnknownEniIsNotFound()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        await ec2.ModifyNetworkInterfaceAttributeAsync(new ModifyNetworkInterfaceAttributeRequest { NetworkInterfaceId = s.Node2.EniId, SourceDestCheck = true });
        var eni = (await ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [F("attachment.instance-id", s.Node2.InstanceId)] })).NetworkInterfaces.Single();
        var missing = () => ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = ["eni-0000000000000beef"] });

        eni.SourceDestCheck.Should().BeTrue();
        eni.Attachment.InstanceId.Should().Be(s.Node2.InstanceId);
        eni.MacAddress.Should().Be(s.Node2.Mac);
        var ex = (await missing.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("InvalidNetworkInterfaceID.NotFound");
        ex.Message.Should().Be("The networkInterface ID 'eni-0000000000000beef' does not exist");
    }

    [Fact]
    public async Task AssignPrivateIpAddresses_WithReassignment_MovesTheAddress_WithoutItIsInUse()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        using var ec2 = emu.CreateEc2Client();
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc;
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc.VpcId, CidrBlock = "10.0.1.0/24" })).Subnet;
        var a = (await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = subnet.SubnetId })).NetworkInterface;
        var b = (await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = subnet.SubnetId })).NetworkInterface;

        await ec2.AssignPrivateIpAddressesAsync(new AssignPrivateIpAddressesRequest { NetworkInterfaceId = a.NetworkInterfaceId, PrivateIpAddresses = ["10.0.1.200"] });
        var withoutReassignment = () => ec2.AssignPrivateIpAddressesAsync(new AssignPrivateIpAddressesRequest { NetworkInterfaceId = b.NetworkInterfaceId, PrivateIpAddresses = ["10.0.1.200"] });
        (await withoutReassignment.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("PrivateIpAddressInUse");
        await ec2.AssignPrivateIpAddressesAsync(new AssignPrivateIpAddressesRequest { NetworkInterfaceId = b.NetworkInterfaceId, PrivateIpAddresses = ["10.0.1.200"], AllowReassignment = true });

        emu.Inspect.SecondaryIps(a.NetworkInterfaceId).Should().BeEmpty();
        emu.Inspect.SecondaryIps(b.NetworkInterfaceId).Should().Equal("10.0.1.200");
        await ec2.UnassignPrivateIpAddressesAsync(new UnassignPrivateIpAddressesRequest { NetworkInterfaceId = b.NetworkInterfaceId, PrivateIpAddresses = ["10.0.1.200"] });
        emu.Inspect.SecondaryIps(b.NetworkInterfaceId).Should().BeEmpty();
    }

    [Fact]
    public async Task AssociateAddress_AlreadyAssociated_NeedsAllowReassociation_ThenMoves()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();
        await ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = s.EipAllocationId, NetworkInterfaceId = s.Node1.EniId });

        var steal = () => ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = s.EipAllocationId, NetworkInterfaceId = s.Node2.EniId });
        (await steal.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("Resource.AlreadyAssociated");
        var moved = await ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = s.EipAllocationId, NetworkInterfaceId = s.Node2.EniId, AllowReassociation = true });
        var address = (await ec2.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [s.EipAllocationId] })).Addresses.Single();

        address.NetworkInterfaceId.Should().Be(s.Node2.EniId);
        address.PrivateIpAddress.Should().Be(s.Node2.PrivateIp);
        address.InstanceId.Should().Be(s.Node2.InstanceId);
        address.AssociationId.Should().Be(moved.AssociationId);
        address.PublicIp.Should().Be(s.EipPublicIp);

        await ec2.DisassociateAddressAsync(new DisassociateAddressRequest { AssociationId = moved.AssociationId });
        emu.Inspect.AddressTarget(s.EipAllocationId).Should().BeNull();
    }

    [Fact]
    public async Task AllocateAddress_GivesANewUnassociatedEip()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        using var ec2 = emu.CreateEc2Client();

        var allocated = await ec2.AllocateAddressAsync(new AllocateAddressRequest { Domain = DomainType.Vpc });
        var described = (await ec2.DescribeAddressesAsync(new DescribeAddressesRequest { Filters = [F("allocation-id", allocated.AllocationId)] })).Addresses.Single();

        allocated.AllocationId.Should().MatchRegex("^eipalloc-[0-9a-f]{17}$");
        allocated.Domain.Should().Be(DomainType.Vpc);
        described.PublicIp.Should().Be(allocated.PublicIp);
        described.AssociationId.Should().BeNull();
    }

    [Fact]
    public async Task DescribeAddresses_UnknownAllocation_IsInvalidAllocationIdNotFound()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client();

        var act = () => ec2.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = ["eipalloc-0000000000000beef"] });

        var ex = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("InvalidAllocationID.NotFound");
        ex.Message.Should().Be("The allocation ID 'eipalloc-0000000000000beef' does not exist");
    }

    [Fact]
    public async Task DescribeAvailabilityZones_KnownZone_IsAvailable_UnknownZoneIsInvalidParameterValue()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client();

        var zone = (await ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest { ZoneNames = ["ap-northeast-1a"] })).AvailabilityZones.Single();
        var unknown = () => ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest { ZoneNames = ["ap-northeast-1z"] });

        zone.State.Should().Be(AvailabilityZoneState.Available);
        zone.RegionName.Should().Be("ap-northeast-1");
        var ex = (await unknown.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("InvalidParameterValue");
        ex.Message.Should().Be("Invalid availability zone: [ap-northeast-1z]");
    }

    [Fact]
    public async Task StopInstances_Force_GoesStoppingThenStopped_AndStartInstancesBringsItBack()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1, TimeProvider = time, InstanceStopDelay = TimeSpan.FromSeconds(5) });
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        var stop = await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [s.Node1.InstanceId], Force = true });
        stop.StoppingInstances.Single().PreviousState.Name.Value.Should().Be("running");
        stop.StoppingInstances.Single().CurrentState.Name.Value.Should().Be("stopping");
        time.Advance(TimeSpan.FromSeconds(5));
        var stopped = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [F("instance-state-name", "stopped")] })).Reservations.SelectMany(r => r.Instances).ToList();
        var route = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [s.RouteTablePrivateA] })).RouteTables.Single().Routes.Single(r => r.DestinationCidrBlock == s.VipCidr);

        stopped.Should().ContainSingle().Which.InstanceId.Should().Be(s.Node1.InstanceId);
        route.State.Should().Be(RouteState.Blackhole, "a route to a stopped instance's ENI is a blackhole");

        await ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [s.Node1.InstanceId] });
        time.Advance(TimeSpan.FromSeconds(1));
        emu.Inspect.InstanceState(s.Node1.InstanceId).Should().Be("running");
    }

    [Fact]
    public async Task StopInstances_ByDefault_GracefulTakesTenSeconds_ForceTwo_AndForceShortensAStoppingInstance()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1, TimeProvider = time });
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [s.Node1.InstanceId] });
        await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [s.Node2.InstanceId], Force = true });
        time.Advance(TimeSpan.FromSeconds(2));
        var afterTwo = (emu.Inspect.InstanceState(s.Node1.InstanceId), emu.Inspect.InstanceState(s.Node2.InstanceId));
        time.Advance(TimeSpan.FromSeconds(7));
        var afterNine = emu.Inspect.InstanceState(s.Node1.InstanceId);
        time.Advance(TimeSpan.FromSeconds(1));

        afterTwo.Should().Be(("stopping", "stopped"));
        afterNine.Should().Be("stopping");
        emu.Inspect.InstanceState(s.Node1.InstanceId).Should().Be("stopped");

        await ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [s.Node1.InstanceId] });
        time.Advance(TimeSpan.FromSeconds(1));
        await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [s.Node1.InstanceId] });
        time.Advance(TimeSpan.FromSeconds(1));
        await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [s.Node1.InstanceId], Force = true });
        time.Advance(TimeSpan.FromSeconds(2));
        emu.Inspect.InstanceState(s.Node1.InstanceId).Should().Be("stopped", "a forced stop of a stopping instance finishes it sooner");
    }

    [Fact]
    public async Task RunAndDescribeInstances_PendingThenRunning_UnknownInstanceIsNotFound()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emu = await Emulators.CanonicalAsync(time);
        using var ec2 = emu.CreateEc2Client();

        var run = await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 1, SubnetId = emu.Scenario!.PublicSubnetA, InstanceType = InstanceType.T3Small });
        time.Advance(TimeSpan.FromSeconds(1));
        var instance = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [run.Reservation.Instances[0].InstanceId] })).Reservations.Single().Instances.Single();
        var missing = () => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0000000000000beef"] });

        run.Reservation.Instances[0].State.Name.Value.Should().Be("pending", "EC2 answers RunInstances before the instance runs");
        instance.Placement.AvailabilityZone.Should().Be("ap-northeast-1a");
        instance.LaunchTime!.Value.ToUniversalTime().Should().Be(new DateTime(2026, 11, 25, 0, 0, 0, DateTimeKind.Utc));
        instance.State.Name.Value.Should().Be("running");
        instance.NetworkInterfaces.Should().ContainSingle().Which.SubnetId.Should().Be(emu.Scenario.PublicSubnetA);
        var ex = (await missing.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("InvalidInstanceID.NotFound");
    }

    [Fact]
    public async Task DescribeRouteTables_MaxResults_PagesWithNextToken()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client();
        for (var i = 0; i < 8; i++)
        {
            await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = emu.Scenario!.VpcId });
        }

        var pages = new List<int>();
        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { MaxResults = 5, NextToken = token });
            pages.Add(page.RouteTables.Count);
            ids.AddRange(page.RouteTables.Select(t => t.RouteTableId));
            token = page.NextToken;
        }
        while (token is not null);

        pages.Should().Equal(5, 5, 3);
        ids.Should().OnlyHaveUniqueItems().And.HaveCount(13, "the default VPC's main table, the canonical main table, three VIP tables and eight new ones");
    }

    [Fact]
    public async Task WrongSecret_IsSignatureDoesNotMatch_AndUnknownKeyIsAuthFailure()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var wrongSecret = Emulators.Client(emu, secret: "not-the-secret");
        using var unknownKey = Emulators.Client(emu, accessKey: "AKIAUNKNOWN000000000");

        var bad = () => wrongSecret.DescribeVpcsAsync(new DescribeVpcsRequest());
        var unknown = () => unknownKey.DescribeVpcsAsync(new DescribeVpcsRequest());

        var ex = (await bad.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("SignatureDoesNotMatch");
        ex.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
        (await unknown.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("AuthFailure");
    }

    [Fact]
    public async Task DryRun_IsDryRunOperation_UnlessDenied()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();
        var request = new ReplaceRouteRequest { RouteTableId = s.RouteTablePrivateA, DestinationCidrBlock = s.VipCidr, NetworkInterfaceId = s.Node2.EniId, DryRun = true };

        var allowed = () => ec2.ReplaceRouteAsync(request);
        (await allowed.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("DryRunOperation");
        emu.Faults.Deny("ReplaceRoute");
        (await allowed.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnauthorizedOperation");
        emu.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node1.EniId, "a dry run changes nothing");
    }
}
