using Amazon.EC2;
using Amazon.EC2.Model;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>EC2 answers as AWS gives them, and the set-up and tear-down calls a user's own tests make.</summary>
public class Ec2AnswersAndSetUpTests
{
    private static Filter F(string name, params string[] values) => new(name, [.. values]);

    private static TagSpecification Tags(ResourceType type, params (string Key, string Value)[] tags) =>
        new() { ResourceType = type, Tags = [.. tags.Select(t => new Tag(t.Key, t.Value))] };

    private static async Task<AmazonEC2Exception> FailsAsync(Func<Task> call) => (await call.Should().ThrowAsync<AmazonEC2Exception>()).Which;

    [Fact]
    public async Task AssociateAddress_ToAnInstance_ShowsAsItsPublicIpAddress()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        await ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = s.EipAllocationId, InstanceId = s.Node1.InstanceId });
        var instances = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [s.Node1.InstanceId, s.Node2.InstanceId] })).Reservations.SelectMany(r => r.Instances).ToList();

        instances.Single(i => i.InstanceId == s.Node1.InstanceId).PublicIpAddress.Should().Be(s.EipPublicIp);
        instances.Single(i => i.InstanceId == s.Node1.InstanceId).NetworkInterfaces.Single().Association.PublicIp.Should().Be(s.EipPublicIp);
        instances.Single(i => i.InstanceId == s.Node2.InstanceId).PublicIpAddress.Should().BeNull();
    }

    [Fact]
    public async Task CreateNetworkInterface_WithoutGroups_GetsTheVpcsDefaultSecurityGroup()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        var eni = (await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = s.PrivateSubnetA })).NetworkInterface;
        var defaultGroup = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [F("vpc-id", s.VpcId), F("group-name", "default")] })).SecurityGroups.Single();
        var node = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [s.Node1.InstanceId] })).Reservations.Single().Instances.Single();

        eni.Groups.Should().ContainSingle().Which.GroupId.Should().Be(defaultGroup.GroupId);
        eni.Groups.Single().GroupName.Should().Be("default");
        defaultGroup.Description.Should().Be("default VPC security group");
        node.SecurityGroups.Should().ContainSingle().Which.GroupId.Should().Be(defaultGroup.GroupId);
    }

    [Fact]
    public async Task Subnets_CarryTagsAndTheIpv6AndDnsFieldsAwsReturns()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = emu.CreateEc2Client();

        var created = (await ec2.CreateSubnetAsync(new CreateSubnetRequest
        {
            VpcId = emu.Scenario!.VpcId,
            CidrBlock = "10.0.30.0/24",
            TagSpecifications = [Tags(ResourceType.Subnet, ("Name", "extra"))],
        })).Subnet;
        var described = (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [F("tag:Name", "extra")] })).Subnets.Single();

        foreach (var subnet in new[] { created, described })
        {
            subnet.Tags.Should().ContainSingle().Which.Should().BeEquivalentTo(new Tag("Name", "extra"));
            subnet.AssignIpv6AddressOnCreation.Should().BeFalse();
            subnet.Ipv6Native.Should().BeFalse();
            (subnet.Ipv6CidrBlockAssociationSet ?? []).Should().BeEmpty();
            subnet.PrivateDnsNameOptionsOnLaunch.HostnameType.Should().Be(HostnameType.IpName);
            subnet.PrivateDnsNameOptionsOnLaunch.EnableResourceNameDnsARecord.Should().BeFalse();
        }
    }

    [Fact]
    public async Task CreateVpc_Slash29_IsInvalidVpcRange_AndDisassociateAddressWithoutArgumentsIsMissingParameter()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var vpc = await FailsAsync(() => ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.9.0.0/29" }));
        var disassociate = await FailsAsync(() => ec2.DisassociateAddressAsync(new DisassociateAddressRequest()));

        vpc.ErrorCode.Should().Be("InvalidVpc.Range");
        vpc.Message.Should().Be("The CIDR '10.9.0.0/29' is invalid.");
        disassociate.ErrorCode.Should().Be("MissingParameter");
    }

    [Fact]
    public async Task TagSpecifications_AndCreateTags_AreDescribed_AndFilterDescribes()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();

        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "172.16.0.0/16", TagSpecifications = [Tags(ResourceType.Vpc, ("Name", "test-vpc"), ("team", "ha"))] })).Vpc;
        await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [s.RouteTablePrivateA, s.EipAllocationId], Tags = [new Tag("role", "vip")] });
        var byTag = await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { Filters = [F("tag:Name", "test-vpc")] });
        var byKey = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [F("tag-key", "role")] });
        var tags = await ec2.DescribeTagsAsync(new DescribeTagsRequest { Filters = [F("key", "role")] });
        await ec2.DeleteTagsAsync(new DeleteTagsRequest { Resources = [s.RouteTablePrivateA], Tags = [new Tag { Key = "role" }] });
        var afterDelete = await ec2.DescribeTagsAsync(new DescribeTagsRequest { Filters = [F("resource-id", s.RouteTablePrivateA)] });
        var unknown = await FailsAsync(() => ec2.CreateTagsAsync(new CreateTagsRequest { Resources = ["vpc-0000000000000beef"], Tags = [new Tag("a", "b")] }));
        var wrongType = await FailsAsync(() => ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "172.17.0.0/16", TagSpecifications = [Tags(ResourceType.Subnet, ("a", "b"))] }));

        vpc.Tags.Should().HaveCount(2);
        byTag.Vpcs.Should().ContainSingle().Which.VpcId.Should().Be(vpc.VpcId);
        byKey.RouteTables.Should().ContainSingle().Which.RouteTableId.Should().Be(s.RouteTablePrivateA);
        tags.Tags.Select(t => (t.ResourceId, t.ResourceType.Value)).Should().BeEquivalentTo(new[] { (s.RouteTablePrivateA, "route-table"), (s.EipAllocationId, "elastic-ip") });
        (afterDelete.Tags ?? []).Should().BeEmpty();
        unknown.ErrorCode.Should().Be("InvalidVpcID.NotFound");
        wrongType.ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Fact]
    public async Task SecurityGroups_CreateDescribeDelete_WithAwsRules()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var created = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "app", Description = "app servers", VpcId = s.VpcId, TagSpecifications = [Tags(ResourceType.SecurityGroup, ("Name", "app"))] });
        var duplicate = await FailsAsync(() => ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "app", Description = "again", VpcId = s.VpcId }));
        var eni = (await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = s.PrivateSubnetA, Groups = [created.GroupId] })).NetworkInterface;
        var inUse = await FailsAsync(() => ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = created.GroupId }));
        var described = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { GroupIds = [created.GroupId] })).SecurityGroups.Single();
        var defaultGroup = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [F("vpc-id", s.VpcId), F("group-name", "default")] })).SecurityGroups.Single();
        var deleteDefault = await FailsAsync(() => ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = defaultGroup.GroupId }));

        eni.Groups.Should().ContainSingle().Which.GroupId.Should().Be(created.GroupId);
        duplicate.ErrorCode.Should().Be("InvalidGroup.Duplicate");
        inUse.ErrorCode.Should().Be("DependencyViolation");
        described.GroupName.Should().Be("app");
        described.Description.Should().Be("app servers");
        described.Tags.Should().ContainSingle().Which.Value.Should().Be("app");
        deleteDefault.ErrorCode.Should().Be("CannotDelete");
    }

    [Fact]
    public async Task TearDown_DeletesInDependencyOrder_AsAwsDemands()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "10.0.0.0/16" })).Vpc;
        var subnet = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc.VpcId, CidrBlock = "10.0.1.0/24" })).Subnet;
        var eni = (await ec2.CreateNetworkInterfaceAsync(new CreateNetworkInterfaceRequest { SubnetId = subnet.SubnetId })).NetworkInterface;
        var group = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = "g", Description = "g", VpcId = vpc.VpcId });
        var eip = await ec2.AllocateAddressAsync(new AllocateAddressRequest());
        var association = await ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = eip.AllocationId, NetworkInterfaceId = eni.NetworkInterfaceId });

        (await FailsAsync(() => ec2.ReleaseAddressAsync(new ReleaseAddressRequest { AllocationId = eip.AllocationId }))).ErrorCode.Should().Be("InvalidIPAddress.InUse");
        (await FailsAsync(() => ec2.DeleteVpcAsync(new DeleteVpcRequest { VpcId = vpc.VpcId }))).ErrorCode.Should().Be("DependencyViolation");
        (await FailsAsync(() => ec2.DeleteSubnetAsync(new DeleteSubnetRequest { SubnetId = subnet.SubnetId }))).ErrorCode.Should().Be("DependencyViolation");
        await ec2.DisassociateAddressAsync(new DisassociateAddressRequest { AssociationId = association.AssociationId });
        await ec2.ReleaseAddressAsync(new ReleaseAddressRequest { AllocationId = eip.AllocationId });
        await ec2.DeleteNetworkInterfaceAsync(new DeleteNetworkInterfaceRequest { NetworkInterfaceId = eni.NetworkInterfaceId });
        await ec2.DeleteSubnetAsync(new DeleteSubnetRequest { SubnetId = subnet.SubnetId });
        await ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = group.GroupId });
        await ec2.DeleteVpcAsync(new DeleteVpcRequest { VpcId = vpc.VpcId });

        (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Should().ContainSingle().Which.IsDefault.Should().BeTrue("only the region's default VPC is left");
        (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest())).SecurityGroups.Should().ContainSingle().Which.GroupName.Should().Be("default");
        (await FailsAsync(() => ec2.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [eip.AllocationId] }))).ErrorCode.Should().Be("InvalidAllocationID.NotFound");
    }
}
