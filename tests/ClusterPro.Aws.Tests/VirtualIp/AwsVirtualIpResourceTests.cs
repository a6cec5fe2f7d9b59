using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.Aws.VirtualIp;
using ClusterPro.DependencyInjection;
using ClusterPro.Resources;
using ClusterPro.TestSupport;

namespace ClusterPro.Aws.Tests.VirtualIp;

public class AwsVirtualIpResourceTests : GroupResourceContractTests
{
    internal static Action<IClusterProBuilder, CanonicalScenario> Vip(Action<AwsVirtualIpOptions>? extra = null) =>
        Vip((o, _) => extra?.Invoke(o));

    internal static Action<IClusterProBuilder, CanonicalScenario> Vip(Action<AwsVirtualIpOptions, CanonicalScenario> extra) => (b, s) =>
        b.AddAwsVirtualIp("failover1", "awsvip1", o =>
        {
            o.Ip = s.Vip;
            o.VpcId = s.VpcId;
            o.EniId = AwsCluster.Enis(s);
            extra(o, s);
        });

    protected override async Task<GroupResourceFixture> CreateFixtureAsync()
    {
        var cluster = await AwsCluster.StartAsync(Vip());
        var s = cluster.S;
        return new GroupResourceFixture(
            cluster.Resource("awsvip1"),
            AwsCluster.On("node2"),
            async () => s.VipRouteTables.All(t => cluster.Emulator.Inspect.RouteTarget(t, s.VipCidr) == s.Node2.EniId) && await cluster.HasAddressAsync("node2", s.Vip),
            () =>
            {
                cluster.Emulator.Faults.Add(new FaultRule { Operation = "ReplaceRoute", Kind = FaultKind.Deny, Count = 3 });
                return Task.CompletedTask;
            },
            cluster.DisposeAsync);
    }

    [Fact]
    public async Task ActivateAndMonitor_EveryDescribePagedByTwo_FollowNextTokenToAllThreeTables()
    {
        await using var c = await AwsCluster.StartAsync(Vip(), pageSize: 2);
        var s = c.S;

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));
        var describes = c.Emulator.CountCalls("DescribeRouteTables");
        var check = await c.CheckAsync("awsvipw1", "node2");

        result.Succeeded.Should().BeTrue(result.ToString());
        s.VipRouteTables.Should().OnlyContain(t => c.Emulator.Inspect.RouteTarget(t, s.VipCidr, null) == s.Node2.EniId);
        describes.Should().Be(2, "three route tables come in pages of two");
        check.Status.Should().Be(ClusterPro.Monitoring.MonitorStatus.Normal, check.ToString());
    }

    [Fact]
    public async Task ActivateAsync_Node2_SwitchesAllThreeRouteTables_WithOneDescribeAndConcurrentReplaces()
    {
        await using var c = await AwsCluster.StartAsync(Vip());
        var s = c.S;

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Changes.Should().BeEquivalentTo(
            s.VipRouteTables.Select(t => $"{t}: 10.1.0.20/32 {s.Node1.EniId} -> {s.Node2.EniId}").Append("eth0: added 10.1.0.20/32"));
        s.VipRouteTables.Should().OnlyContain(t => c.Emulator.Inspect.RouteTarget(t, s.VipCidr, null) == s.Node2.EniId);
        (await c.HasAddressAsync("node2", s.Vip)).Should().BeTrue();
        c.Emulator.CountCalls("DescribeVpcs").Should().Be(1);
        c.Emulator.CountCalls("DescribeRouteTables").Should().Be(1);
        c.Emulator.CountCalls("ReplaceRoute").Should().Be(3);
    }

    [Fact]
    public async Task ActivateAsync_AlreadyActive_MakesNoWriteCalls()
    {
        await using var c = await AwsCluster.StartAsync(Vip());
        await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));
        c.Emulator.ClearCalls();

        var again = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));

        again.Succeeded.Should().BeTrue();
        again.Changes.Should().BeEmpty();
        c.Emulator.Calls.Select(x => x.Operation).Should().Equal(["DescribeRouteTables"], "the VPC CIDR check passed on the first activation");
    }

    [Fact]
    public async Task ActivateAsync_VipInsideThePrimaryCidr_Is53()
    {
        await using var c = await AwsCluster.StartAsync(Vip(o => o.Ip = "10.0.1.5"));

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));

        result.Code.Should().Be(53);
        result.Message.Should().Be("The VIP address 10.0.1.5 belongs to a VPC subnet.");
        c.Emulator.CountCalls("ReplaceRoute").Should().Be(0);
    }

    [Fact]
    public async Task ActivateAsync_VipInsideASecondaryCidr_Is53()
    {
        await using var c = await AwsCluster.StartAsync(Vip());
        using var ec2 = c.Emulator.CreateEc2Client();
        await ec2.AssociateVpcCidrBlockAsync(new Amazon.EC2.Model.AssociateVpcCidrBlockRequest { VpcId = c.S.VpcId, CidrBlock = "10.1.0.0/16" });

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Code.Should().Be(53);
        c.Emulator.Inspect.RouteTarget(c.S.RouteTablePrivateA, c.S.VipCidr).Should().Be(c.S.Node1.EniId);
    }

    [Fact]
    public async Task ActivateAsync_UnknownVpc_Is50WithAwsMessage()
    {
        await using var c = await AwsCluster.StartAsync(Vip(o => o.VpcId = "vpc-0123456789abcdef0"));

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));

        result.Code.Should().Be(50);
        result.Message.Should().Be("The vpc ID 'vpc-0123456789abcdef0' does not exist");
    }

    [Fact]
    public async Task ActivateAsync_UnknownEni_Is50WithAwsMessage_AndSaysWhereRoutesPoint()
    {
        await using var c = await AwsCluster.StartAsync(Vip(o => o.EniId = new PerNode<string>().For("node1", "eni-0123456789abcdef1").For("node2", "eni-0123456789abcdef0")));

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Code.Should().Be(50);
        result.Message.Should().StartWith("The networkInterface ID 'eni-0123456789abcdef0' does not exist");
        result.Message.Should().Contain("now points at eni-0123456789abcdef0 in: none");
    }

    [Fact]
    public async Task ActivateAsync_DeniedOnOneTable_ReportsExactlyWhichTablesPointWhere_AndTheNextActivationCompletesIt()
    {
        await using var c = await AwsCluster.StartAsync(Vip());
        var s = c.S;
        var deny = c.Emulator.Faults.Deny("ReplaceRoute", s.RouteTablePrivateB);

        var partial = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        partial.Code.Should().Be(50);
        partial.Message.Should().StartWith("You are not authorized to perform this operation.");
        partial.Message.Should().Contain($"still elsewhere in: {s.RouteTablePrivateB} ({s.Node1.EniId})");
        partial.Message.Should().Contain(s.RouteTablePublicAB).And.Contain(s.RouteTablePrivateA);
        partial.Changes.Should().HaveCount(2, "two tables moved before the failure was reported");
        (await c.HasAddressAsync("node2", s.Vip)).Should().BeFalse("the OS address is added only once every route points here");

        c.Emulator.Faults.Remove(deny);
        c.Emulator.ClearCalls();
        var retry = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        retry.Succeeded.Should().BeTrue();
        c.Emulator.CountCalls("ReplaceRoute").Should().Be(1);
        s.VipRouteTables.Should().OnlyContain(t => c.Emulator.Inspect.RouteTarget(t, s.VipCidr, null) == s.Node2.EniId);
    }

    [Fact]
    public async Task ActivateAsync_ThrottlingWithinTheSdksRetries_IsAbsorbed()
    {
        await using var c = await AwsCluster.StartAsync(Vip());
        c.Emulator.Faults.Throttle("ReplaceRoute", 2);

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Succeeded.Should().BeTrue(result.ToString());
        c.Emulator.Calls.Count(x => x.ErrorCode == "RequestLimitExceeded").Should().Be(2);
    }

    [Fact]
    public async Task ActivateAsync_Hang_IsTheTimeoutCode1_WithTheAwsCallTimeout()
    {
        await using var c = await AwsCluster.StartAsync(Vip(o => o.AwsCallTimeout = TimeSpan.FromSeconds(20)), fakeTime: true);
        var hang = c.Emulator.Faults.Hang("DescribeRouteTables");

        var activation = c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        c.Time!.Advance(TimeSpan.FromSeconds(20));
        var result = await activation;

        result.Code.Should().Be(1);
        result.Message.Should().Be("Command was not completed within 20 seconds.");
        c.Emulator.Inspect.RouteTarget(c.S.RouteTablePrivateA, c.S.VipCidr).Should().Be(c.S.Node1.EniId);
    }

    [Fact]
    public async Task ActivateAsync_EndpointDown_Is50()
    {
        await using var c = await AwsCluster.StartAsync(Vip(), client: cfg => cfg.MaxErrorRetry = 0);
        c.Emulator.Faults.EndpointDown = true;

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Code.Should().Be(50);
        result.Message.Should().StartWith("Failed in the AWS API call.");
    }

    [Fact]
    public async Task ActivateAsync_NoRouteTableHoldsTheVip_Is50AndSaysWhatToCreate()
    {
        await using var c = await AwsCluster.StartAsync(Vip(o => o.Ip = "10.1.0.99"));

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));

        result.Code.Should().Be(50);
        result.Message.Should().Contain("has a route for 10.1.0.99/32").And.Contain("CreateRoute");
    }

    [Fact]
    public async Task ActivateAndMonitor_RouteTableIds_SwitchOnlyTheListedTables_AndLeaveTheOthers()
    {
        await using var c = await AwsCluster.StartAsync(Vip((o, s) => o.RouteTableIds.Add(s.RouteTablePrivateA)));
        var s = c.S;

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));
        var check = await c.CheckAsync("awsvipw1", "node2");

        result.Succeeded.Should().BeTrue(result.ToString());
        c.Emulator.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node2.EniId);
        c.Emulator.Inspect.RouteTarget(s.RouteTablePrivateB, s.VipCidr).Should().Be(s.Node1.EniId, "a table that is not listed is left alone");
        check.Status.Should().Be(ClusterPro.Monitoring.MonitorStatus.Normal, "only the listed tables are the VIP's");
    }

    [Fact]
    public async Task ActivateAsync_ARouteTableIdWithoutTheRoute_Is50NamingIt_AndChangesNothing()
    {
        await using var c = await AwsCluster.StartAsync(Vip((o, s) => { o.RouteTableIds.Add(s.RouteTablePrivateA); o.RouteTableIds.Add("rtb-0000000000000dead"); }));
        var s = c.S;

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Code.Should().Be(50);
        result.Message.Should().Contain("Route table rtb-0000000000000dead").And.Contain("nothing was changed").And.Contain("RouteTableIds");
        c.Emulator.CountCalls("ReplaceRoute").Should().Be(0);
        c.Emulator.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node1.EniId);
    }

    [Fact]
    public async Task CheckAsync_AListedRouteTableLosesTheRoute_Is56()
    {
        await using var c = await AwsCluster.StartAsync(Vip((o, s) => o.RouteTableIds.Add(s.RouteTablePrivateB)));
        var s = c.S;
        (await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"))).Succeeded.Should().BeTrue();
        using var ec2 = c.Emulator.CreateEc2Client();
        await ec2.DeleteRouteAsync(new Amazon.EC2.Model.DeleteRouteRequest { RouteTableId = s.RouteTablePrivateB, DestinationCidrBlock = s.VipCidr });

        var check = await c.CheckAsync("awsvipw1", "node2");

        check.Status.Should().Be(ClusterPro.Monitoring.MonitorStatus.Error);
        check.Code.Should().Be(56);
    }

    [Fact]
    public async Task DeactivateAsync_RemovesTheOsAddress_AndLeavesTheRoutes()
    {
        await using var c = await AwsCluster.StartAsync(Vip());
        await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        var result = await c.Resource("awsvip1").DeactivateAsync(AwsCluster.On("node2"));

        result.Changes.Should().Equal("eth0: removed 10.1.0.20/32");
        (await c.HasAddressAsync("node2", c.S.Vip)).Should().BeFalse();
        c.Emulator.Inspect.RouteTarget(c.S.RouteTablePrivateA, c.S.VipCidr).Should().Be(c.S.Node2.EniId);
    }
}

public class AwsVirtualIpCallCountTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public async Task Activation_MakesTwoReadsPlusOneReplacePerTable_AndAMonitorCycleTwoConcurrentReads(int tables)
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip());
        using var ec2 = c.Emulator.CreateEc2Client();
        foreach (var extra in c.S.VipRouteTables.Skip(tables))
        {
            await ec2.DeleteRouteAsync(new Amazon.EC2.Model.DeleteRouteRequest { RouteTableId = extra, DestinationCidrBlock = c.S.VipCidr });
        }

        for (var i = c.S.VipRouteTables.Count; i < tables; i++)
        {
            var table = await ec2.CreateRouteTableAsync(new Amazon.EC2.Model.CreateRouteTableRequest { VpcId = c.S.VpcId });
            await ec2.CreateRouteAsync(new Amazon.EC2.Model.CreateRouteRequest { RouteTableId = table.RouteTable.RouteTableId, DestinationCidrBlock = c.S.VipCidr, NetworkInterfaceId = c.S.Node1.EniId });
        }

        c.Emulator.ClearCalls();
        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));
        var activationCalls = c.Emulator.Calls.Count;
        c.Emulator.ClearCalls();
        var check = await c.CheckAsync("awsvipw1", "node2");

        result.Succeeded.Should().BeTrue(result.ToString());
        activationCalls.Should().Be(2 + tables, "the first activation checks the VPC CIDR beside its DescribeRouteTables");
        c.Emulator.Calls.Select(x => x.Operation).Should().BeEquivalentTo(["DescribeVpcs", "DescribeRouteTables"]);
        check.Status.Should().Be(ClusterPro.Monitoring.MonitorStatus.Normal);
    }
}
