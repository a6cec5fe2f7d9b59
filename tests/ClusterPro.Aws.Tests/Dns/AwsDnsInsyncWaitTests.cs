using ClusterPro.Aws.Dns;
using ClusterPro.Aws.Route53;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ClusterPro.TestSupport;
using Moq;

namespace ClusterPro.Aws.Tests.Dns;

/// <summary>The INSYNC wait's polling and bound, on a mocked Route 53 and a fake clock.</summary>
public class AwsDnsInsyncWaitTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly Mock<IAmazonRoute53> _route53 = new(MockBehavior.Strict);
    private int _polls;

    private AwsDnsResource Resource(TimeSpan timeout) => new(
        "awsdns1",
        new AwsDnsOptions { HostedZoneId = "Z0123456789ABCDEFGHIJ", RecordName = "srv.hz1.local.", Ip = "10.0.120.101", WaitForInsync = true, InsyncTimeout = timeout, InsyncPollInterval = TimeSpan.FromSeconds(1) },
        _route53.Object,
        _time,
        NullLogger<AwsDnsResource>.Instance);

    private void Route53PendingFor(int polls)
    {
        _route53.Setup(r => r.ListResourceRecordSetsAsync(It.IsAny<ListResourceRecordSetsRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(new ListResourceRecordSetsResponse());
        _route53.Setup(r => r.ChangeResourceRecordSetsAsync(It.IsAny<ChangeResourceRecordSetsRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChangeResourceRecordSetsResponse { ChangeInfo = new ChangeInfo { Id = "/change/C1", Status = ChangeStatus.PENDING } });
        _route53.Setup(r => r.GetChangeAsync(It.IsAny<GetChangeRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new GetChangeResponse { ChangeInfo = new ChangeInfo { Id = "/change/C1", Status = ++_polls > polls ? ChangeStatus.INSYNC : ChangeStatus.PENDING } });
    }

    private Task<ResourceResult> RunAsync(Task<ResourceResult> operation) => FakeClock.RunAsync(_time, operation, TimeSpan.FromMilliseconds(500));

    [Fact]
    public async Task Wait_PollsWithDoublingIntervals_AndReportsTheTimeItTook()
    {
        Route53PendingFor(3);

        var result = await RunAsync(Resource(TimeSpan.FromSeconds(120)).ActivateAsync(new ResourceContext("node2", "failover1")));

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Message.Should().Be("INSYNC after 15.0 s.", "polls after 1, 2, 4 and 8 s: PENDING three times, then INSYNC");
        _polls.Should().Be(4);
    }

    [Fact]
    public async Task Wait_IsBounded_AndSaysTheRecordIsSetButNotPropagated()
    {
        Route53PendingFor(int.MaxValue);

        var result = await RunAsync(Resource(TimeSpan.FromSeconds(10)).ActivateAsync(new ResourceContext("node2", "failover1")));

        result.Code.Should().Be(51);
        result.Message.Should().Be("Timeout occurred. The change /change/C1 was still PENDING after 10 s; the record is set but not yet on every Route 53 name server.");
        result.Changes.Should().Equal("srv.hz1.local. A (not read) -> 10.0.120.101 (TTL 300)");
    }
}
