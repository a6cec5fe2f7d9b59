using ClusterPro.Aws.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.Tests.VirtualIp;

public class AwsVirtualIpMonitorTests
{
    private static async Task<AwsCluster> ActiveOnNode1Async(AwsApiFailureAction action = AwsApiFailureAction.Silent)
    {
        var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip(o => o.MonitorApiFailureAction = action), client: cfg => cfg.MaxErrorRetry = 0);
        (await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"))).Succeeded.Should().BeTrue();
        c.Emulator.ClearCalls();
        return c;
    }

    [Fact]
    public async Task CheckAsync_Healthy_IsNormal_WithTheRoutesAndTheVpcCidrsReadTogether()
    {
        await using var c = await ActiveOnNode1Async();

        var result = await c.CheckAsync("awsvipw1", "node1");

        result.Status.Should().Be(MonitorStatus.Normal);
        c.Emulator.Calls.Select(x => x.Operation).Should().BeEquivalentTo(["DescribeRouteTables", "DescribeVpcs"]);
    }

    [Fact]
    public async Task CheckAsync_AVpcCidrAddedThatHoldsTheVip_Is53_AndTheNextActivationChecksAgain()
    {
        await using var c = await ActiveOnNode1Async();
        using var ec2 = c.Emulator.CreateEc2Client();
        await ec2.AssociateVpcCidrBlockAsync(new Amazon.EC2.Model.AssociateVpcCidrBlockRequest { VpcId = c.S.VpcId, CidrBlock = "10.1.0.0/24" });

        var result = await c.CheckAsync("awsvipw1", "node1");
        c.Emulator.ClearCalls();
        var activation = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Status.Should().Be(MonitorStatus.Error);
        result.Code.Should().Be(53);
        result.Message.Should().Be("The VIP address 10.1.0.20 belongs to a VPC subnet.");
        activation.Code.Should().Be(53);
        c.Emulator.CountCalls("ReplaceRoute").Should().Be(0, "nothing is switched once the VIP is known to be inside the VPC");
    }

    [Fact]
    public async Task CheckAsync_ARouteRetargeted_Is56WithTheSpecMessage()
    {
        await using var c = await ActiveOnNode1Async();
        c.Emulator.Drift.RetargetRoute(c.S.RouteTablePrivateB, c.S.VipCidr, c.S.Node2.EniId);

        var result = await c.CheckAsync("awsvipw1", "node1");

        result.Should().Be(MonitorResult.Error(56, "The routing for VIP 10.1.0.20 was changed."));
    }

    [Fact]
    public async Task CheckAsync_RouteDeleted_Is56()
    {
        await using var c = await ActiveOnNode1Async();
        foreach (var t in c.S.VipRouteTables)
        {
            c.Emulator.Drift.DeleteRoute(t, c.S.VipCidr);
        }

        (await c.CheckAsync("awsvipw1", "node1")).Code.Should().Be(56);
    }

    [Fact]
    public async Task CheckAsync_VipMissingFromTheOs_Is56()
    {
        await using var c = await ActiveOnNode1Async();
        await c.Hosts.ForNode("node1").RemoveAsync("eth0", System.Net.IPAddress.Parse(c.S.Vip), 32);

        var result = await c.CheckAsync("awsvipw1", "node1");

        result.Code.Should().Be(56);
        result.Message.Should().Be("The VIP address 10.1.0.20 is not on interface eth0.");
    }

    [Theory]
    [InlineData(AwsApiFailureAction.Silent, MonitorStatus.Unknown, 0)]
    [InlineData(AwsApiFailureAction.Warn, MonitorStatus.Warning, 150)]
    [InlineData(AwsApiFailureAction.Recover, MonitorStatus.Error, 50)]
    public async Task CheckAsync_EndpointDown_FollowsTheNoAnswerAction(AwsApiFailureAction action, MonitorStatus status, int code)
    {
        await using var c = await ActiveOnNode1Async(action);
        c.Emulator.Faults.EndpointDown = true;

        var result = await c.CheckAsync("awsvipw1", "node1");

        result.Status.Should().Be(status);
        result.Code.Should().Be(code);
    }

    [Theory]
    [InlineData(AwsApiFailureAction.Silent)]
    [InlineData(AwsApiFailureAction.Warn)]
    public async Task CheckAsync_Denied_IsAnErrorWhateverTheNoAnswerAction(AwsApiFailureAction action)
    {
        await using var c = await ActiveOnNode1Async(action);
        c.Emulator.Faults.Deny("DescribeRouteTables");

        var result = await c.CheckAsync("awsvipw1", "node1");

        result.Should().Be(MonitorResult.Error(50, "You are not authorized to perform this operation."));
    }

    [Fact]
    public async Task MonitorRunner_RouteDrift_IsRepairedByReactivation()
    {
        await using var c = await ActiveOnNode1Async();
        var factory = c.Services.GetRequiredService<ClusterProFactory>();
        var group = factory.CreateGroup("failover1");
        (await group.ActivateAsync("node1")).Succeeded.Should().BeTrue();
        var runner = factory.CreateMonitorRunner("awsvipw1", "node1", new GroupActions(group, "node1"));
        c.Emulator.Drift.RetargetRoute(c.S.RouteTablePublicAB, c.S.VipCidr, c.S.Node2.EniId);

        var first = await runner.RunCycleAsync();
        var second = await runner.RunCycleAsync();

        factory.Options.Monitors["awsvipw1"].RetryCount.Should().Be(1, "the default retry count");
        first.Recovery.Should().Be(RecoveryStep.None);
        second.Recovery.Should().Be(RecoveryStep.Reactivate);
        c.Emulator.Inspect.RouteTarget(c.S.RouteTablePublicAB, c.S.VipCidr).Should().Be(c.S.Node1.EniId);
        (await runner.RunCycleAsync()).Reported.Status.Should().Be(MonitorStatus.Normal);
        runner.Escalation.Reactivations.Should().Be(0, "a normal result resets the ladder");
    }

    private sealed class GroupActions(FailoverGroup group, string node) : IRecoveryActions
    {
        public bool IsAnyOtherNodeHealthy => true;

        public bool IsActive(RecoveryTarget target) => group.IsResourceActive(target.Name);

        public bool IsResourceActive(string resourceName) => group.IsResourceActive(resourceName);

        public async Task<bool> ReactivateAsync(RecoveryTarget target, CancellationToken cancellationToken = default) =>
            (await group.ReactivateResourceAsync(target.Name, node, cancellationToken)).Succeeded;

        public Task<bool> RequestFailoverAsync(RecoveryTarget target, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task ExecuteFinalActionAsync(ClusterPro.Failover.FinalActionRequest request, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
