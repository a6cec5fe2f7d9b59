using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.ElasticIp;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using ClusterPro.TestSupport;

namespace ClusterPro.Aws.Tests.ElasticIp;

public class AwsElasticIpTests : GroupResourceContractTests
{
    internal static Action<IClusterProBuilder, CanonicalScenario> Eip(Action<AwsElasticIpOptions>? extra = null) => (b, s) =>
        b.AddAwsElasticIp("failover1", "awseip1", o =>
        {
            o.AllocationId = s.EipAllocationId;
            o.EniId = AwsCluster.Enis(s);
            extra?.Invoke(o);
        });

    protected override async Task<GroupResourceFixture> CreateFixtureAsync()
    {
        var c = await AwsCluster.StartAsync(Eip());
        return new GroupResourceFixture(
            c.Resource("awseip1"),
            AwsCluster.On("node1"),
            () => Task.FromResult(c.Emulator.Inspect.AddressTarget(c.S.EipAllocationId) == c.S.Node1.EniId),
            () =>
            {
                c.Emulator.Faults.Deny("AssociateAddress");
                return Task.CompletedTask;
            },
            c.DisposeAsync);
    }

    [Fact]
    public async Task ActivateAndMonitor_WithEveryDescribePaged_StillFindTheAddress()
    {
        await using var c = await AwsCluster.StartAsync(Eip(), pageSize: 2);

        var result = await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node2"));
        var check = await c.CheckAsync("awseipw1", "node2");

        result.Succeeded.Should().BeTrue(result.ToString());
        c.Emulator.Inspect.AddressTarget(c.S.EipAllocationId).Should().Be(c.S.Node2.EniId);
        check.Status.Should().Be(ClusterPro.Monitoring.MonitorStatus.Normal, check.ToString());
    }

    [Fact]
    public async Task ActivateAsync_TakeoverFromADeadNode_ReassociatesInOneCall_FromWhereTheMonitorLastSawIt()
    {
        await using var c = await AwsCluster.StartAsync(Eip());
        (await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"))).Succeeded.Should().BeTrue();
        (await c.CheckAsync("awseipw1", "node1")).Status.Should().Be(ClusterPro.Monitoring.MonitorStatus.Normal);
        c.Emulator.Drift.StopInstance(c.S.Node1.InstanceId);
        c.Emulator.ClearCalls();

        var result = await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node2"));

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Changes.Should().ContainSingle().Which.Should().StartWith($"{c.S.EipAllocationId} ({c.S.EipPublicIp}): {c.S.Node1.EniId} -> {c.S.Node2.EniId} (eipassoc-");
        result.Message.Should().Contain("DescribeAddresses").And.Contain("s ago");
        c.Emulator.Inspect.AddressTarget(c.S.EipAllocationId).Should().Be(c.S.Node2.EniId);
        c.Emulator.Calls.Select(x => x.Operation).Should().Equal("AssociateAddress");
    }

    [Fact]
    public async Task DeactivateAsync_WhenTheEipMovedToAnotherNode_LeavesItAlone()
    {
        await using var c = await AwsCluster.StartAsync(Eip());
        await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node2"));

        var result = await c.Resource("awseip1").DeactivateAsync(AwsCluster.On("node1"));

        result.Succeeded.Should().BeTrue();
        result.Changes.Should().BeEmpty();
        c.Emulator.Inspect.AddressTarget(c.S.EipAllocationId).Should().Be(c.S.Node2.EniId);
    }

    [Fact]
    public async Task DeactivateAsync_AlreadyDisassociated_IsSuccess()
    {
        await using var c = await AwsCluster.StartAsync(Eip());
        await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"));
        c.Emulator.Drift.DisassociateAddress(c.S.EipAllocationId);

        var result = await c.Resource("awseip1").DeactivateAsync(AwsCluster.On("node1"));

        result.Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task ActivateAsync_UnknownAllocation_Is50WithAwsMessage()
    {
        await using var c = await AwsCluster.StartAsync(Eip(o => o.AllocationId = "eipalloc-0123456789abcdef0"));

        var result = await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"));

        result.Should().BeEquivalentTo(new { Code = 50, Message = "The allocation ID 'eipalloc-0123456789abcdef0' does not exist" });
    }

    [Fact]
    public async Task ActivateAsync_UnknownEni_Is50WithAwsMessage()
    {
        await using var c = await AwsCluster.StartAsync(Eip(o => o.EniId = new PerNode<string>().For("node1", "eni-0123456789abcdef0").For("node2", "eni-0123456789abcdef1")));

        var result = await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"));

        result.Should().BeEquivalentTo(new { Code = 50, Message = "The networkInterface ID 'eni-0123456789abcdef0' does not exist" });
    }

    [Fact]
    public async Task ActivateAsync_Hang_Is53TimeoutOccurred()
    {
        await using var c = await AwsCluster.StartAsync(Eip(o => o.AwsCallTimeout = TimeSpan.FromSeconds(10)), fakeTime: true);
        var hang = c.Emulator.Faults.Hang("AssociateAddress");

        var activation = c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"));
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        c.Time!.Advance(TimeSpan.FromSeconds(10));

        (await activation).Should().BeEquivalentTo(new { Code = 53, Message = "Timeout occurred." });
    }

    [Fact]
    public async Task Monitor_EipMovedAway_Is52_AndNormalWhenAssociated()
    {
        await using var c = await AwsCluster.StartAsync(Eip());
        await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"));
        var normal = await c.CheckAsync("awseipw1", "node1");

        c.Emulator.Drift.MoveAddress(c.S.EipAllocationId, c.S.Node2.EniId);
        var moved = await c.CheckAsync("awseipw1", "node1");

        normal.Status.Should().Be(MonitorStatus.Normal);
        moved.Should().Be(MonitorResult.Error(52, $"The EIP address does not exist. (EIP ALLOCATION ID={c.S.EipAllocationId})"));
    }
}
