using Amazon.EC2;
using Amazon.EC2.Model;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>Answers EC2 gives that the emulator used to give differently, and parameters it used to refuse or ignore.</summary>
public class Ec2FidelityTests
{
    private static Filter F(string name, params string[] values) => new(name, [.. values]);

    private static async Task<AmazonEC2Exception> FailsAsync(Func<Task> call) => (await call.Should().ThrowAsync<AmazonEC2Exception>()).Which;

    [Fact]
    public async Task AssociateRouteTable_SubnetAlreadyAssociated_IsResourceAlreadyAssociated_AndLeavesItWhereItWas()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var ex = await FailsAsync(() => ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = s.RouteTablePrivateB, SubnetId = s.PrivateSubnetA }));
        var owner = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [F("association.subnet-id", s.PrivateSubnetA)] })).RouteTables.Single();

        ex.ErrorCode.Should().Be("Resource.AlreadyAssociated");
        ex.Message.Should().Be($"the specified association for route table {s.RouteTablePrivateB} conflicts with an existing association");
        owner.RouteTableId.Should().Be(s.RouteTablePrivateA);
    }

    [Fact]
    public async Task DescribeNetworkInterfaces_CarriesRequesterId_AndAnEmptyIpv6AddressList()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, body) = await raw.SendAsync(RawAws.Ec2($"Action=DescribeNetworkInterfaces&NetworkInterfaceId.1={emu.Scenario!.Node1.EniId}"));
        using var ec2 = emu.CreateEc2Client();
        var eni = (await ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [emu.Scenario.Node1.EniId] })).NetworkInterfaces.Single();

        status.Should().Be(200);
        body.Should().Contain("<ipv6AddressesSet />").And.Contain("<requesterId>AIDAEMULATOR00000001</requesterId>");
        eni.RequesterId.Should().Be("AIDAEMULATOR00000001");
        (eni.Ipv6Addresses ?? []).Should().BeEmpty("the SDK reads an empty list as null");
    }

    [Fact]
    public async Task AssociateVpcCidrBlock_AnswersAssociating_ThenDescribesAssociated_WithItsLocalRoute()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        var association = (await ec2.AssociateVpcCidrBlockAsync(new AssociateVpcCidrBlockRequest { VpcId = s.VpcId, CidrBlock = "10.2.0.0/16" })).CidrBlockAssociation;
        var vpc = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [s.VpcId] })).Vpcs.Single();
        var table = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [s.RouteTablePrivateA] })).RouteTables.Single();

        association.CidrBlockState.State.Value.Should().Be("associating");
        vpc.CidrBlockAssociationSet.Single(c => c.CidrBlock == "10.2.0.0/16").CidrBlockState.State.Value.Should().Be("associated");
        table.Routes.Should().ContainSingle(r => r.DestinationCidrBlock == "10.2.0.0/16").Which.GatewayId.Should().Be("local");
    }

    [Fact]
    public async Task DescribeInstances_UnknownIdsWithMaxResults_IsInvalidParameterCombination_NotNotFound()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var ex = await FailsAsync(() => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = ["i-0000000000000beef"], MaxResults = 5 }));

        ex.ErrorCode.Should().Be("InvalidParameterCombination");
    }

    [Fact]
    public async Task AvailableIpAddressCount_IsTheBlockLessFiveReserved_AndDropsAsAddressesAreTaken()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();
        async Task<int?> CountAsync(string subnet) => (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [subnet] })).Subnets.Single().AvailableIpAddressCount;

        var empty = await CountAsync(s.PublicSubnetA);
        var withNode = await CountAsync(s.PrivateSubnetA);
        var eni = (await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = s.PublicSubnetA, SecondaryPrivateIpAddressCount = 2 })).NetworkInterface;
        var afterEni = await CountAsync(s.PublicSubnetA);
        await ec2.DeleteNetworkInterfaceAsync(new DeleteNetworkInterfaceRequest { NetworkInterfaceId = eni.NetworkInterfaceId });

        empty.Should().Be(251, "a /24 holds 256 addresses and AWS reserves 5");
        withNode.Should().Be(250, "node1's interface holds one");
        eni.PrivateIpAddresses.Should().HaveCount(3);
        afterEni.Should().Be(248);
        (await CountAsync(s.PublicSubnetA)).Should().Be(251);
    }

    [Fact]
    public async Task CreateNetworkInterface_ReservedAddress_IsInvalidParameterValue()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var ex = await FailsAsync(() => ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = emu.Scenario!.PublicSubnetA, PrivateIpAddress = "10.0.10.1" }));

        ex.ErrorCode.Should().Be("InvalidParameterValue");
        ex.Message.Should().Contain("reserved");
    }

    [Theory]
    [InlineData("subnet", "Network interfaces and an instance-level subnet ID may not be specified on the same request")]
    [InlineData("groups", "Network interfaces and an instance-level security groups may not be specified on the same request")]
    public async Task RunInstances_NetworkInterfacesWithInstanceLevelSettings_IsInvalidParameterCombination(string also, string message)
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        var request = new RunInstancesRequest
        {
            ImageId = "ami-12345678",
            MinCount = 1,
            MaxCount = 1,
            NetworkInterfaces = [new InstanceNetworkInterfaceSpecification { DeviceIndex = 0, SubnetId = s.PublicSubnetA }],
        };
        if (also == "subnet")
        {
            request.SubnetId = s.PublicSubnetA;
        }
        else
        {
            request.SecurityGroupIds = [(await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [F("vpc-id", s.VpcId)] })).SecurityGroups[0].GroupId];
        }

        var ex = await FailsAsync(() => ec2.RunInstancesAsync(request));

        ex.ErrorCode.Should().Be("InvalidParameterCombination");
        ex.Message.Should().Be(message);
        (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest())).Reservations.Should().HaveCount(2, "nothing was launched");
    }

    [Fact]
    public async Task RunInstances_NetworkInterfaces_TakeTheirPrivateAddressesAndPublicAddressChoice()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        var instance = (await ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = "ami-12345678",
            MinCount = 1,
            MaxCount = 1,
            NetworkInterfaces =
            [
                new InstanceNetworkInterfaceSpecification
                {
                    DeviceIndex = 0,
                    SubnetId = s.PublicSubnetA,
                    AssociatePublicIpAddress = true,
                    Description = "front",
                    PrivateIpAddresses =
                    [
                        new PrivateIpAddressSpecification { PrivateIpAddress = "10.0.10.40", Primary = true },
                        new PrivateIpAddressSpecification { PrivateIpAddress = "10.0.10.41", Primary = false },
                    ],
                },
            ],
        })).Reservation.Instances.Single();
        var eni = (await ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [F("description", "front")] })).NetworkInterfaces.Single();

        instance.PrivateIpAddress.Should().Be("10.0.10.40");
        instance.PublicIpAddress.Should().NotBeNullOrEmpty("AssociatePublicIpAddress asked for one in a subnet that maps none");
        eni.PrivateIpAddresses.Select(a => (a.PrivateIpAddress, a.Primary)).Should().Equal(("10.0.10.40", true), ("10.0.10.41", false));
        eni.Attachment.InstanceId.Should().Be(instance.InstanceId);
    }

    [Fact]
    public async Task Filters_AssociationRouteTableIdAndEniDescription_AreServed()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();
        await ec2.ModifyNetworkInterfaceAttributeAsync(new ModifyNetworkInterfaceAttributeRequest { NetworkInterfaceId = s.Node2.EniId, Description = "standby" });

        var tables = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [F("association.route-table-id", s.RouteTablePublicAB)] })).RouteTables;
        var enis = (await ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { Filters = [F("description", "stand*")] })).NetworkInterfaces;
        var nonDefault = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [F("isDefault", "false")] })).Vpcs;

        tables.Should().ContainSingle().Which.RouteTableId.Should().Be(s.RouteTablePublicAB);
        enis.Should().ContainSingle().Which.NetworkInterfaceId.Should().Be(s.Node2.EniId);
        nonDefault.Should().ContainSingle().Which.VpcId.Should().Be(s.VpcId);
    }

    [Fact]
    public async Task FilterValueWithoutName_IsInvalidParameterValue()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, body) = await raw.SendAsync(RawAws.Ec2("Action=DescribeVpcs&Filter.1.Value.1=vpc-0123"));
        var (gap, gapBody) = await raw.SendAsync(RawAws.Ec2("Action=DescribeVpcs&Filter.1.Name=vpc-id&Filter.1.Value.1=vpc-0123&Filter.2.Value.1=x"));

        status.Should().Be(400);
        body.Should().Contain("<Code>InvalidParameterValue</Code>");
        gap.Should().Be(400, gapBody);
    }

    [Fact]
    public async Task CreateVpc_InstanceTenancyAndAmazonIpv6_AreHonoured_AndSubnetsTakeA64()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.9.0.0/16", InstanceTenancy = Tenancy.Dedicated, AmazonProvidedIpv6CidrBlock = true })).Vpc;
        var described = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpc.VpcId] })).Vpcs.Single();
        var block = described.Ipv6CidrBlockAssociationSet.Single().Ipv6CidrBlock;
        var subnetBlock = block.Replace("00::/56", "01::/64", StringComparison.Ordinal);
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc.VpcId, CidrBlock = "10.9.1.0/24", Ipv6CidrBlock = subnetBlock })).Subnet;
        var eni = (await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = subnet.SubnetId, Ipv6AddressCount = 1 })).NetworkInterface;
        var outside = await FailsAsync(() => ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc.VpcId, CidrBlock = "10.9.2.0/24", Ipv6CidrBlock = "2001:db8:ffff:ff01::/64" }));
        var host = await FailsAsync(() => ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.8.0.0/16", InstanceTenancy = Tenancy.Host }));

        described.InstanceTenancy.Value.Should().Be("dedicated");
        block.Should().EndWith("::/56");
        subnet.Ipv6CidrBlockAssociationSet.Single().Ipv6CidrBlock.Should().Be(subnetBlock);
        eni.Ipv6Addresses.Should().ContainSingle().Which.Ipv6Address.Should().StartWith(subnetBlock[..^6]);
        outside.ErrorCode.Should().Be("InvalidSubnet.Range");
        host.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task AllocateAddress_Address_AllocatesThatAddress_AndATakenOneIsRefused()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var chosen = await ec2.AllocateAddressAsync(new AllocateAddressRequest { Address = "198.51.100.200" });
        var taken = await FailsAsync(() => ec2.AllocateAddressAsync(new AllocateAddressRequest { Address = emu.Scenario!.EipPublicIp }));
        var border = await FailsAsync(() => ec2.AllocateAddressAsync(new AllocateAddressRequest { NetworkBorderGroup = "us-west-2" }));

        chosen.PublicIp.Should().Be("198.51.100.200");
        taken.ErrorCode.Should().Be("InvalidAddress.InUse");
        border.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task UnmodelledParameter_IsRefused_NotIgnored()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var ex = await FailsAsync(() => ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.7.0.0/16", Ipv4IpamPoolId = "ipam-pool-0123456789abcdef0" }));

        ex.ErrorCode.Should().Be("UnsupportedOperation");
        ex.Message.Should().Contain("Ipv4IpamPoolId");
    }
}
