using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Fencing;
using ClusterPro.Failover;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ClusterPro.TestSupport;
using Moq;

namespace ClusterPro.Aws.Tests.Fencing;

/// <summary>The stop-wait's backing-off poll and its bound, on a mocked EC2 and a fake clock.</summary>
public class AwsInstanceFencingPollTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Mock<IAmazonEC2> _ec2 = new(MockBehavior.Strict);
    private int _peerPolls;

    private AwsInstanceFencing Agent() => new(
        new AwsFencingOptions { InstanceId = new PerNode<string>().For("node1", "i-0000000000000000a").For("node2", "i-0000000000000000b"), StopTimeout = TimeSpan.FromSeconds(30), PollInterval = TimeSpan.FromSeconds(1) },
        _ec2.Object,
        _time,
        NullLogger<AwsInstanceFencing>.Instance);

    private static DescribeInstancesResponse State(string id, string state) =>
        new() { Reservations = [new Reservation { Instances = [new Instance { InstanceId = id, State = new InstanceState { Name = new InstanceStateName(state) } }] }] };

    private void PeerStopsAfter(int polls)
    {
        _ec2.Setup(e => e.DescribeInstancesAsync(It.Is<DescribeInstancesRequest>(r => r.InstanceIds[0] == "i-0000000000000000a"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(State("i-0000000000000000a", "running"));
        _ec2.Setup(e => e.DescribeInstancesAsync(It.Is<DescribeInstancesRequest>(r => r.InstanceIds[0] == "i-0000000000000000b"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => State("i-0000000000000000b", ++_peerPolls > polls ? "stopped" : "stopping"));
        _ec2.Setup(e => e.StopInstancesAsync(It.Is<StopInstancesRequest>(r => r.Force == true && r.InstanceIds.Single() == "i-0000000000000000b"), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new StopInstancesResponse());
    }

    private Task<FenceResult> RunAsync(Task<FenceResult> operation) => FakeClock.RunAsync(_time, operation, TimeSpan.FromMilliseconds(500));

    [Fact]
    public async Task FenceAsync_PollsWithBackoff_UntilStopped()
    {
        PeerStopsAfter(3);

        var result = await RunAsync(Agent().FenceAsync("node1", "node2"));

        result.Should().Be(new FenceResult(true, 0, "node2 (i-0000000000000000b) is stopped after 7.0 s."));
        _peerPolls.Should().Be(4, "polls at 0, 1, 3 and 7 s: the interval doubles, so polling does not trip throttling");
    }

    [Fact]
    public async Task FenceAsync_PeerNeverStops_IsBoundedByTheStopTimeout()
    {
        PeerStopsAfter(int.MaxValue);

        var result = await RunAsync(Agent().FenceAsync("node1", "node2"));

        result.Should().Be(new FenceResult(false, 51, "Timeout occurred. node2 (i-0000000000000000b) is still stopping after 30 s."));
    }
}
