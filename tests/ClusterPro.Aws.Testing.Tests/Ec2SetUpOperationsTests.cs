using Amazon.EC2;
using Amazon.EC2.Model;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>The EC2 calls a user's own set-up and tear-down code makes: gateways, route tables, attributes, keys, volumes, instance lifecycles.</summary>
public class Ec2SetUpOperationsTests
{
    private static Filter F(string name, params string[] values) => new(name, [.. values]);

    private static async Task<AmazonEC2Exception> FailsAsync(Func<Task> call) => (await call.Should().ThrowAsync<AmazonEC2Exception>()).Which;

    private static FakeTimeProvider Clock() => new(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task InternetGateway_CreateAttachRouteDetachDelete_AsEc2Orders()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var gateway = (await ec2.CreateInternetGatewayAsync(new CreateInternetGatewayRequest { TagSpecifications = [new TagSpecification { ResourceType = ResourceType.InternetGateway, Tags = [new Tag("Name", "edge")] }] })).InternetGateway;
        var unattachedRoute = await FailsAsync(() => ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = s.RouteTablePublicAB, DestinationCidrBlock = "0.0.0.0/0", GatewayId = gateway.InternetGatewayId }));
        await ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId, VpcId = s.VpcId });
        var twice = await FailsAsync(() => ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId, VpcId = s.VpcId }));
        await ec2.CreateRouteAsync(new CreateRouteRequest { RouteTableId = s.RouteTablePublicAB, DestinationCidrBlock = "0.0.0.0/0", GatewayId = gateway.InternetGatewayId });
        var inUse = await FailsAsync(() => ec2.DeleteInternetGatewayAsync(new DeleteInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId }));
        var tagged = (await ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { Filters = [F("tag:Name", "edge")] })).InternetGateways.Single();
        await ec2.DetachInternetGatewayAsync(new DetachInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId, VpcId = s.VpcId });
        var route = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [s.RouteTablePublicAB] })).RouteTables.Single().Routes.Single(r => r.DestinationCidrBlock == "0.0.0.0/0");
        var notAttached = await FailsAsync(() => ec2.DetachInternetGatewayAsync(new DetachInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId, VpcId = s.VpcId }));
        await ec2.DeleteInternetGatewayAsync(new DeleteInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId });
        var gone = await FailsAsync(() => ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest { InternetGatewayIds = [gateway.InternetGatewayId] }));

        unattachedRoute.ErrorCode.Should().Be("InvalidParameterValue");
        twice.ErrorCode.Should().Be("Resource.AlreadyAssociated");
        inUse.ErrorCode.Should().Be("DependencyViolation");
        tagged.Attachments.Single().VpcId.Should().Be(s.VpcId);
        route.State.Value.Should().Be("blackhole", "the route's gateway was detached");
        notAttached.ErrorCode.Should().Be("Gateway.NotAttached");
        gone.ErrorCode.Should().Be("InvalidInternetGatewayID.NotFound");
    }

    [Fact]
    public async Task DetachInternetGateway_WithMappedPublicAddresses_IsDependencyViolation()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 1 });
        var gateway = (await ec2.DescribeInternetGatewaysAsync(new DescribeInternetGatewaysRequest())).InternetGateways.Single();

        var ex = await FailsAsync(() => ec2.DetachInternetGatewayAsync(new DetachInternetGatewayRequest { InternetGatewayId = gateway.InternetGatewayId, VpcId = gateway.Attachments[0].VpcId }));

        ex.ErrorCode.Should().Be("DependencyViolation");
        ex.Message.Should().Contain("mapped public address");
    }

    [Fact]
    public async Task RouteTables_ReplaceAndDisassociateAssociations_AndDeleteOnlyWhenFree()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        var spare = (await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = s.VpcId })).RouteTable;
        var privateA = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [s.RouteTablePrivateA] })).RouteTables.Single();
        var main = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [F("vpc-id", s.VpcId), F("association.main", "true")] })).RouteTables.Single();

        var associated = await FailsAsync(() => ec2.DeleteRouteTableAsync(new DeleteRouteTableRequest { RouteTableId = s.RouteTablePrivateA }));
        var moved = await ec2.ReplaceRouteTableAssociationAsync(new ReplaceRouteTableAssociationRequest { AssociationId = privateA.Associations.Single().RouteTableAssociationId, RouteTableId = spare.RouteTableId });
        await ec2.DeleteRouteTableAsync(new DeleteRouteTableRequest { RouteTableId = s.RouteTablePrivateA });
        var newMain = await ec2.ReplaceRouteTableAssociationAsync(new ReplaceRouteTableAssociationRequest { AssociationId = main.Associations.Single(a => a.Main == true).RouteTableAssociationId, RouteTableId = s.RouteTablePrivateB });
        var oldMainFree = await ec2.DeleteRouteTableAsync(new DeleteRouteTableRequest { RouteTableId = main.RouteTableId });
        var mainNow = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [F("vpc-id", s.VpcId), F("association.main", "true")] })).RouteTables.Single();
        var mainDisassociate = await FailsAsync(() => ec2.DisassociateRouteTableAsync(new DisassociateRouteTableRequest { AssociationId = newMain.NewAssociationId }));
        await ec2.DisassociateRouteTableAsync(new DisassociateRouteTableRequest { AssociationId = moved.NewAssociationId });
        var unknown = await FailsAsync(() => ec2.DisassociateRouteTableAsync(new DisassociateRouteTableRequest { AssociationId = moved.NewAssociationId }));

        associated.ErrorCode.Should().Be("DependencyViolation");
        moved.AssociationState.State.Value.Should().Be("associated");
        oldMainFree.HttpStatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        mainNow.RouteTableId.Should().Be(s.RouteTablePrivateB);
        mainDisassociate.ErrorCode.Should().Be("InvalidParameterValue");
        unknown.ErrorCode.Should().Be("InvalidAssociationID.NotFound");
        (await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = spare.RouteTableId, SubnetId = s.PrivateSubnetA })).AssociationId.Should().StartWith("rtbassoc-");
    }

    [Fact]
    public async Task SubnetAndVpcAttributes_AreModifiedAndDescribed()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        await ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = s.PublicSubnetA, MapPublicIpOnLaunch = true });
        await ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = s.PublicSubnetA, PrivateDnsHostnameTypeOnLaunch = HostnameType.ResourceName });
        await ec2.ModifyVpcAttributeAsync(new ModifyVpcAttributeRequest { VpcId = s.VpcId, EnableDnsHostnames = true });
        var subnet = (await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { Filters = [F("map-public-ip-on-launch", "true"), F("vpc-id", s.VpcId)] })).Subnets.Single();
        var support = await ec2.DescribeVpcAttributeAsync(new DescribeVpcAttributeRequest { VpcId = s.VpcId, Attribute = VpcAttributeName.EnableDnsSupport });
        var hostnames = await ec2.DescribeVpcAttributeAsync(new DescribeVpcAttributeRequest { VpcId = s.VpcId, Attribute = VpcAttributeName.EnableDnsHostnames });
        var two = await FailsAsync(() => ec2.ModifyVpcAttributeAsync(new ModifyVpcAttributeRequest { VpcId = s.VpcId, EnableDnsHostnames = false, EnableDnsSupport = true }));
        var ipv6 = await FailsAsync(() => ec2.ModifySubnetAttributeAsync(new ModifySubnetAttributeRequest { SubnetId = s.PublicSubnetA, AssignIpv6AddressOnCreation = true }));
        var instance = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 1, SubnetId = s.PublicSubnetA })).Reservation.Instances.Single();

        subnet.SubnetId.Should().Be(s.PublicSubnetA);
        subnet.PrivateDnsNameOptionsOnLaunch.HostnameType.Value.Should().Be("resource-name");
        support.EnableDnsSupport.Should().BeTrue();
        hostnames.EnableDnsHostnames.Should().BeTrue();
        two.ErrorCode.Should().Be("InvalidParameterCombination");
        ipv6.ErrorCode.Should().Be("InvalidParameterValue");
        instance.PublicIpAddress.Should().NotBeNullOrEmpty("the subnet now maps a public address on launch");
    }

    [Fact]
    public async Task DisassociateVpcCidrBlock_RemovesASecondaryBlock_NotThePrimaryNorOneWithSubnets()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        var spare = (await ec2.AssociateVpcCidrBlockAsync(new AssociateVpcCidrBlockRequest { VpcId = s.VpcId, CidrBlock = "10.3.0.0/16" })).CidrBlockAssociation;
        var used = (await ec2.AssociateVpcCidrBlockAsync(new AssociateVpcCidrBlockRequest { VpcId = s.VpcId, CidrBlock = "10.4.0.0/16" })).CidrBlockAssociation;
        await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = s.VpcId, CidrBlock = "10.4.1.0/24" });
        var primary = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [s.VpcId] })).Vpcs.Single().CidrBlockAssociationSet.Single(c => c.CidrBlock == "10.0.0.0/16");

        var removed = await ec2.DisassociateVpcCidrBlockAsync(new DisassociateVpcCidrBlockRequest { AssociationId = spare.AssociationId });
        var primaryEx = await FailsAsync(() => ec2.DisassociateVpcCidrBlockAsync(new DisassociateVpcCidrBlockRequest { AssociationId = primary.AssociationId }));
        var usedEx = await FailsAsync(() => ec2.DisassociateVpcCidrBlockAsync(new DisassociateVpcCidrBlockRequest { AssociationId = used.AssociationId }));
        var unknownEx = await FailsAsync(() => ec2.DisassociateVpcCidrBlockAsync(new DisassociateVpcCidrBlockRequest { AssociationId = spare.AssociationId }));
        var vpc = (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [s.VpcId] })).Vpcs.Single();
        var table = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [s.RouteTablePrivateA] })).RouteTables.Single();

        removed.CidrBlockAssociation.CidrBlockState.State.Value.Should().Be("disassociating");
        removed.VpcId.Should().Be(s.VpcId);
        primaryEx.ErrorCode.Should().Be("OperationNotPermitted");
        usedEx.ErrorCode.Should().Be("DependencyViolation");
        unknownEx.ErrorCode.Should().Be("InvalidVpcCidrBlockAssociationID.NotFound");
        vpc.CidrBlockAssociationSet.Select(c => c.CidrBlock).Should().BeEquivalentTo("10.0.0.0/16", "10.4.0.0/16");
        table.Routes.Select(r => r.DestinationCidrBlock).Should().NotContain("10.3.0.0/16");
    }

    [Theory]
    [InlineData("rsa", "-----BEGIN RSA PRIVATE KEY-----")]
    [InlineData("ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----")]
    public async Task KeyPairs_CreateDescribeDelete_WithKeyMaterialAndFingerprint(string type, string header)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var created = (await ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = "deploy", KeyType = new KeyType(type) })).KeyPair;
        var duplicate = await FailsAsync(() => ec2.CreateKeyPairAsync(new CreateKeyPairRequest { KeyName = "deploy" }));
        var described = (await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { KeyNames = ["deploy"], IncludePublicKey = true })).KeyPairs.Single();
        var instance = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 1, KeyName = "deploy" })).Reservation.Instances.Single();
        await ec2.DeleteKeyPairAsync(new DeleteKeyPairRequest { KeyName = "deploy" });
        await ec2.DeleteKeyPairAsync(new DeleteKeyPairRequest { KeyName = "deploy" });
        var missing = await FailsAsync(() => ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest { KeyNames = ["deploy"] }));
        var launchWithout = await FailsAsync(() => ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 1, KeyName = "deploy" }));

        created.KeyMaterial.Should().StartWith(header);
        created.KeyPairId.Should().StartWith("key-");
        duplicate.ErrorCode.Should().Be("InvalidKeyPair.Duplicate");
        described.KeyFingerprint.Should().Be(created.KeyFingerprint);
        described.KeyType.Value.Should().Be(type);
        described.PublicKey.Should().StartWith(type == "rsa" ? "ssh-rsa " : "ssh-ed25519 ");
        instance.KeyName.Should().Be("deploy");
        missing.ErrorCode.Should().Be("InvalidKeyPair.NotFound");
        launchWithout.ErrorCode.Should().Be("InvalidKeyPair.NotFound");
    }

    [Fact]
    public async Task ImportKeyPair_OpenSshPublicKey_GetsTheMd5Fingerprint()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        using var generator = System.Security.Cryptography.RSA.Create(2048);
        var parameters = generator.ExportParameters(false);
        static byte[] SshString(byte[] value) => [.. BitConverter.GetBytes(value.Length).Reverse(), .. value];
        var blob = SshString("ssh-rsa"u8.ToArray()).Concat(SshString(parameters.Exponent!)).Concat(SshString([0, .. parameters.Modulus!])).ToArray();
        var line = $"ssh-rsa {Convert.ToBase64String(blob)} me@host";
#pragma warning disable CA5351 // the fingerprint EC2 computes for an imported RSA key
        var expected = string.Join(':', System.Security.Cryptography.MD5.HashData(blob).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
#pragma warning restore CA5351

        var imported = await ec2.ImportKeyPairAsync(new ImportKeyPairRequest { KeyName = "mine", PublicKeyMaterial = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(line)) });
        var bad = await FailsAsync(() => ec2.ImportKeyPairAsync(new ImportKeyPairRequest { KeyName = "bad", PublicKeyMaterial = "not a key" }));

        imported.KeyFingerprint.Should().Be(expected);
        bad.ErrorCode.Should().Be("InvalidKey.Format");
    }

    [Fact]
    public async Task Volumes_CreateAttachDetachDelete_WithAwsErrors()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var volume = (await ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = s.Node1.AvailabilityZone, Size = 20, VolumeType = VolumeType.Gp3 })).Volume;
        var far = (await ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = s.Node2.AvailabilityZone, Size = 10 })).Volume;
        var attach = (await ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volume.VolumeId, InstanceId = s.Node1.InstanceId, Device = "/dev/sdf" })).Attachment;
        var inUse = await FailsAsync(() => ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = volume.VolumeId, InstanceId = s.Node1.InstanceId, Device = "/dev/sdh" }));
        var zone = await FailsAsync(() => ec2.AttachVolumeAsync(new AttachVolumeRequest { VolumeId = far.VolumeId, InstanceId = s.Node1.InstanceId, Device = "/dev/sdg" }));
        var busy = await FailsAsync(() => ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId }));
        var described = (await ec2.DescribeVolumesAsync(new DescribeVolumesRequest { Filters = [F("attachment.instance-id", s.Node1.InstanceId)] })).Volumes.Single();
        var instance = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [s.Node1.InstanceId] })).Reservations.Single().Instances.Single();
        var detach = (await ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volume.VolumeId })).Attachment;
        var again = await FailsAsync(() => ec2.DetachVolumeAsync(new DetachVolumeRequest { VolumeId = volume.VolumeId }));
        await ec2.DeleteVolumeAsync(new DeleteVolumeRequest { VolumeId = volume.VolumeId });
        var tooBig = await FailsAsync(() => ec2.CreateVolumeAsync(new CreateVolumeRequest { AvailabilityZone = s.Node1.AvailabilityZone, Size = 20000 }));

        volume.State.Value.Should().Be("creating");
        volume.Iops.Should().Be(3000);
        volume.Throughput.Should().Be(125);
        far.VolumeType.Value.Should().Be("gp2");
        far.Iops.Should().Be(100);
        attach.State.Value.Should().Be("attaching");
        inUse.ErrorCode.Should().Be("VolumeInUse");
        zone.ErrorCode.Should().Be("InvalidVolume.ZoneMismatch");
        busy.ErrorCode.Should().Be("VolumeInUse");
        described.State.Value.Should().Be("in-use");
        described.Attachments.Single().Device.Should().Be("/dev/sdf");
        instance.BlockDeviceMappings.Single().Ebs.VolumeId.Should().Be(volume.VolumeId);
        detach.State.Value.Should().Be("detaching");
        again.ErrorCode.Should().Be("IncorrectState");
        tooBig.ErrorCode.Should().Be("InvalidParameterValue");
        (await FailsAsync(() => ec2.DescribeVolumesAsync(new DescribeVolumesRequest { VolumeIds = [volume.VolumeId] }))).ErrorCode.Should().Be("InvalidVolume.NotFound");
    }

    [Fact]
    public async Task TerminateInstances_ShuttingDownThenTerminated_ReleasingItsInterfaceAndBlackholingRoutes()
    {
        var time = Clock();
        await using var emu = await Emulators.CanonicalAsync(time);
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var change = (await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [s.Node2.InstanceId] })).TerminatingInstances.Single();
        var start = await FailsAsync(() => ec2.StartInstancesAsync(new StartInstancesRequest { InstanceIds = [s.Node2.InstanceId] }));
        time.Advance(TimeSpan.FromSeconds(10));
        var instance = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [s.Node2.InstanceId] })).Reservations.Single().Instances.Single();
        var eni = await FailsAsync(() => ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [s.Node2.EniId] }));
        await ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = s.RouteTablePrivateA, DestinationCidrBlock = s.VipCidr, NetworkInterfaceId = s.Node1.EniId });
        var again = (await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [s.Node2.InstanceId] })).TerminatingInstances.Single();

        change.PreviousState.Name.Value.Should().Be("running");
        change.CurrentState.Name.Value.Should().Be("shutting-down");
        start.ErrorCode.Should().Be("IncorrectInstanceState");
        instance.State.Name.Value.Should().Be("terminated");
        instance.PrivateIpAddress.Should().BeNull();
        (instance.NetworkInterfaces ?? []).Should().BeEmpty();
        eni.ErrorCode.Should().Be("InvalidNetworkInterfaceID.NotFound", "the primary interface is deleted on termination");
        again.PreviousState.Name.Value.Should().Be("terminated");
        again.CurrentState.Name.Value.Should().Be("terminated");
    }

    [Fact]
    public async Task TerminateInstances_DisableApiTermination_IsOperationNotPermitted()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        var instance = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 1, DisableApiTermination = true })).Reservation.Instances.Single();

        var ex = await FailsAsync(() => ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instance.InstanceId] }));

        ex.ErrorCode.Should().Be("OperationNotPermitted");
    }

    [Fact]
    public async Task DescribeInstanceStatus_RunningByDefault_EveryStateWithIncludeAll()
    {
        var time = Clock();
        await using var emu = await Emulators.CanonicalAsync(time);
        var s = emu.Scenario!;
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        await ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [s.Node2.InstanceId], Force = true });
        time.Advance(TimeSpan.FromSeconds(2));

        var running = (await ec2.DescribeInstanceStatusAsync(new DescribeInstanceStatusRequest())).InstanceStatuses;
        var all = (await ec2.DescribeInstanceStatusAsync(new DescribeInstanceStatusRequest { IncludeAllInstances = true })).InstanceStatuses;
        var combination = await FailsAsync(() => ec2.DescribeInstanceStatusAsync(new DescribeInstanceStatusRequest { InstanceIds = [s.Node1.InstanceId], MaxResults = 5 }));

        running.Should().ContainSingle().Which.InstanceId.Should().Be(s.Node1.InstanceId);
        running[0].Status.Status.Value.Should().Be("ok");
        running[0].SystemStatus.Details.Single().Status.Value.Should().Be("passed");
        running[0].AvailabilityZone.Should().Be(s.Node1.AvailabilityZone);
        all.Single(x => x.InstanceId == s.Node2.InstanceId).InstanceState.Name.Value.Should().Be("stopped");
        all.Single(x => x.InstanceId == s.Node2.InstanceId).Status.Status.Value.Should().Be("not-applicable");
        combination.ErrorCode.Should().Be("InvalidParameterCombination");
    }

    [Fact]
    public async Task RunInstances_MaxCount_LaunchesOneReservation_AndMissingCountsAreMissingParameter()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var run = await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-12345678", MinCount = 1, MaxCount = 3, SubnetId = emu.Scenario!.PublicSubnetC });
        var described = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [F("reservation-id", run.Reservation.ReservationId)] })).Reservations;
        var (status, body) = await raw.SendAsync(RawAws.Ec2("Action=RunInstances&ImageId=ami-12345678&MinCount=1"));

        run.Reservation.Instances.Select(i => i.AmiLaunchIndex).Should().Equal(0, 1, 2);
        described.Should().ContainSingle().Which.Instances.Should().HaveCount(3);
        status.Should().Be(400);
        body.Should().Contain("<Code>MissingParameter</Code>").And.Contain("MaxCount");
    }
}
