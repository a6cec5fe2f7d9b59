using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.SecondaryIp;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.TestSupport;

namespace ClusterPro.Aws.Tests.SecondaryIp;

public class AwsSecondaryIpTests : GroupResourceContractTests
{
    private const string Address = "10.0.110.50";

    internal static Action<IClusterProBuilder, CanonicalScenario> Sip() => (b, s) =>
        b.AddAwsSecondaryIp("failover1", "awssip1", o =>
        {
            o.Ip = Address;
            o.EniId = AwsCluster.Enis(s);
        });

    protected override async Task<GroupResourceFixture> CreateFixtureAsync()
    {
        var c = await AwsCluster.StartAsync(Sip());
        return new GroupResourceFixture(
            c.Resource("awssip1"),
            AwsCluster.On("node1"),
            async () => c.Emulator.Inspect.SecondaryIps(c.S.Node1.EniId).Contains(Address) && await c.HasAddressAsync("node1", Address),
            () =>
            {
                c.Emulator.Faults.Deny("AssignPrivateIpAddresses");
                return Task.CompletedTask;
            },
            c.DisposeAsync);
    }

    [Fact]
    public async Task Monitor_AfterActivation_IsNormal_AndAfterDriftIs52()
    {
        await using var c = await AwsCluster.StartAsync(Sip());
        (await c.Resource("awssip1").ActivateAsync(AwsCluster.On("node1"))).Succeeded.Should().BeTrue();
        var normal = await c.CheckAsync("awssipw1", "node1");

        c.Emulator.Drift.UnassignPrivateIp(c.S.Node1.EniId, Address);
        var drifted = await c.CheckAsync("awssipw1", "node1");

        normal.Status.Should().Be(MonitorStatus.Normal);
        drifted.Should().Be(MonitorResult.Error(52, $"The secondary IP address {Address} is not assigned to {c.S.Node1.EniId}."));
    }

    [Fact]
    public async Task ActivateAsync_OnTheOtherNode_ReassignsTheAddress()
    {
        await using var c = await AwsCluster.StartAsync(Sip());
        await c.Resource("awssip1").ActivateAsync(AwsCluster.On("node1"));

        // The canonical nodes sit in different subnets; the reassignment is refused by EC2 with its own message.
        var result = await c.Resource("awssip1").ActivateAsync(AwsCluster.On("node2"));

        result.Code.Should().Be(50);
        result.Message.Should().Contain("does not fall within the subnet's address range");
        c.Emulator.Inspect.SecondaryIps(c.S.Node1.EniId).Should().Contain(Address, "nothing was half-applied");
    }
}
