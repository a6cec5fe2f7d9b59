using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Fencing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.Tests.Fencing;

public class AwsInstanceFencingTests
{
    private static Action<IClusterProBuilder, CanonicalScenario> Fencing(Action<AwsFencingOptions>? extra = null) => (b, s) =>
        b.AddAwsFencing(o =>
        {
            o.InstanceId = new PerNode<string>().For("node1", s.Node1.InstanceId).For("node2", s.Node2.InstanceId);
            o.PollInterval = TimeSpan.FromSeconds(1);
            extra?.Invoke(o);
        });

    [Fact]
    public async Task FenceAsync_StopsThePeerWithForce_AndWaitsUntilStopped()
    {
        await using var c = await AwsCluster.StartAsync(Fencing());
        var agent = c.Services.GetRequiredService<IFencingAgent>();

        var result = await agent.FenceAsync("node1", "node2");

        result.Fenced.Should().BeTrue(result.Message);
        result.Code.Should().Be(0);
        result.Message.Should().StartWith($"node2 ({c.S.Node2.InstanceId}) is stopped after");
        c.Emulator.Inspect.InstanceState(c.S.Node2.InstanceId).Should().Be("stopped");
        c.Emulator.Calls.Select(x => x.Operation).Should().Equal("DescribeInstances", "StopInstances", "DescribeInstances");
    }

    [Fact]
    public async Task FenceAsync_WithAwsStopTimes_ForcedStopTakesSeconds_AndIsWaitedForWithinTheStopTimeout()
    {
        await using var c = await AwsCluster.StartAsync(Fencing(o => o.PollInterval = TimeSpan.FromMilliseconds(250)), stopDelay: Timeout.InfiniteTimeSpan);
        var agent = c.Services.GetRequiredService<IFencingAgent>();

        var result = await agent.FenceAsync("node1", "node2");

        result.Fenced.Should().BeTrue(result.Message);
        c.Emulator.Inspect.InstanceState(c.S.Node2.InstanceId).Should().Be("stopped");
        c.Emulator.CountCalls("DescribeInstances").Should().BeGreaterThan(2, "the peer was still stopping at the first polls");
        c.Emulator.Calls.Where(x => x.Operation == "DescribeInstances").Should().HaveCountLessThan(40, "a forced stop takes about 2 s, not the 10 s of a graceful one");
    }

    [Fact]
    public async Task FenceAsync_OwnInstanceNotRunning_DoesNotFence()
    {
        await using var c = await AwsCluster.StartAsync(Fencing(), fakeTime: true);
        c.Emulator.Drift.StopInstance(c.S.Node2.InstanceId);
        var agent = c.Services.GetRequiredService<IFencingAgent>();

        var result = await agent.FenceAsync("node2", "node1");

        result.Should().Be(new FenceResult(false, 52, $"This node's instance {c.S.Node2.InstanceId} is stopped; not fencing node1 ({c.S.Node1.InstanceId})."));
        c.Emulator.Inspect.InstanceState(c.S.Node1.InstanceId).Should().Be("running");
        c.Emulator.CountCalls("StopInstances").Should().Be(0);
    }

    [Fact]
    public async Task FenceAsync_Denied_ReportsItAsSuch()
    {
        await using var c = await AwsCluster.StartAsync(Fencing(o => o.StopTimeout = TimeSpan.FromSeconds(10)), fakeTime: true);
        c.Emulator.Faults.Deny("StopInstances");
        var agent = c.Services.GetRequiredService<IFencingAgent>();

        var denied = await agent.FenceAsync("node1", "node2");

        denied.Should().Be(new FenceResult(false, 50, "You are not authorized to perform this operation."));
    }

    [Fact]
    public async Task IamPolicy_AllowsStopInstancesOnTheNodesOnly()
    {
        await using var c = await AwsCluster.StartAsync(Fencing());

        var json = c.Services.GetRequiredService<ClusterPro.Aws.Iam.AwsIamPolicy>().ToJson();

        json.Should().Contain("ec2:StopInstances").And.Contain($"instance/{c.S.Node1.InstanceId}").And.Contain($"instance/{c.S.Node2.InstanceId}");
    }
}
