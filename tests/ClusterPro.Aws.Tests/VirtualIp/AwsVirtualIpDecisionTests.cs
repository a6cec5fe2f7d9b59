using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.VirtualIp;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace ClusterPro.Aws.Tests.VirtualIp;

/// <summary>Decision logic of the VIP resource on a mocked IAmazonEC2 (no emulator).</summary>
public class AwsVirtualIpDecisionTests
{
    private readonly Mock<IAmazonEC2> _ec2 = new(MockBehavior.Strict);
    private readonly InMemoryHostAddressManager _hosts = new();

    private AwsVirtualIpResource Resource(int concurrency = 8) => new(
        "awsvip1",
        new AwsVirtualIpOptions { Ip = "10.1.0.20", VpcId = "vpc-0123456789abcdef0", EniId = new PerNode<string>("eni-0000000000000000b"), MaxConcurrentRouteUpdates = concurrency },
        _ec2.Object,
        _hosts,
        TimeProvider.System,
        NullLogger<AwsVirtualIpResource>.Instance);

    private void Vpc(params string[] cidrs) =>
        _ec2.Setup(e => e.DescribeVpcsAsync(It.IsAny<DescribeVpcsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeVpcsResponse { Vpcs = [new Vpc { CidrBlock = cidrs[0], CidrBlockAssociationSet = cidrs.Select(c => new VpcCidrBlockAssociation { CidrBlock = c }).ToList() }] });

    private void Tables(int count, string target) =>
        _ec2.Setup(e => e.DescribeRouteTablesAsync(It.IsAny<DescribeRouteTablesRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new DescribeRouteTablesResponse
            {
                RouteTables = Enumerable.Range(0, count).Select(i => new RouteTable
                {
                    RouteTableId = $"rtb-{i:x17}",
                    Routes = [new Route { DestinationCidrBlock = "10.1.0.20/32", NetworkInterfaceId = target }],
                }).ToList(),
            });

    [Fact]
    public async Task ActivateAsync_RoutesAlreadyHere_ReplacesNothing()
    {
        Vpc("10.0.0.0/16");
        Tables(5, "eni-0000000000000000b");

        var result = await Resource().ActivateAsync(new ResourceContext("node1", "failover1"));

        result.Succeeded.Should().BeTrue();
        _ec2.Verify(e => e.ReplaceRouteAsync(It.IsAny<ReplaceRouteRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ActivateAsync_VipInSecondaryCidr_Is53_AndReplacesNoRoute()
    {
        Vpc("10.0.0.0/16", "10.1.0.0/24");
        Tables(3, "eni-0000000000000000a");

        var result = await Resource().ActivateAsync(new ResourceContext("node1", "failover1"));

        result.Code.Should().Be(53);
        result.Changes.Should().BeEmpty();
        _ec2.Verify(e => e.ReplaceRouteAsync(It.IsAny<ReplaceRouteRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task ActivateAsync_RunsReplacesConcurrently_UpToTheBound()
    {
        Vpc("10.0.0.0/16");
        Tables(20, "eni-0000000000000000a");
        var inFlight = 0;
        var peak = 0;
        var gate = new TaskCompletionSource();
        _ec2.Setup(e => e.ReplaceRouteAsync(It.IsAny<ReplaceRouteRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref peak, now);
                if (now >= 4)
                {
                    gate.TrySetResult();
                }

                await gate.Task;
                Interlocked.Decrement(ref inFlight);
                return new ReplaceRouteResponse();
            });

        var result = await Resource(concurrency: 4).ActivateAsync(new ResourceContext("node1", "failover1"));

        result.Succeeded.Should().BeTrue();
        result.Changes.Count(c => c.StartsWith("rtb-", StringComparison.Ordinal)).Should().Be(20);
        peak.Should().Be(4, "four replaces ran at once, and never more");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
