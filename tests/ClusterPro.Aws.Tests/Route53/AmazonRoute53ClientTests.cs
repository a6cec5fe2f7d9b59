using Amazon.Runtime;
using ClusterPro.Aws.Route53;
using ClusterPro.Aws.Testing;

namespace ClusterPro.Aws.Tests.Route53;

public class AmazonRoute53ClientTests
{
    private static async Task<(AwsEmulator Emulator, AmazonRoute53Client Client)> StartAsync(string? secret = null, int retries = 3)
    {
        var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        var client = new AmazonRoute53Client(
            new HttpClient(),
            new AmazonRoute53Config { ServiceURL = emu.Endpoint, MaxErrorRetry = retries, RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
            new BasicAWSCredentials(emu.AccessKeyId, secret ?? emu.SecretAccessKey));
        return (emu, client);
    }

    private static ChangeResourceRecordSetsRequest Upsert(string zone, string name, string ip, long ttl = 60) => new()
    {
        HostedZoneId = zone,
        ChangeBatch = new ChangeBatch { Changes = [new Change(ChangeAction.UPSERT, new ResourceRecordSet { Name = name, Type = RRType.A, TTL = ttl, ResourceRecords = [new ResourceRecord(ip)] })] },
    };

    [Fact]
    public async Task ChangeListAndGet_RoundTripThroughTheEmulator()
    {
        var (emu, r53) = await StartAsync();
        await using var _ = emu;
        var s = emu.Scenario!;

        var change = await r53.ChangeResourceRecordSetsAsync(Upsert(s.HostedZoneId, "srv.hz1.local.", "10.0.120.101"));
        var status = await r53.GetChangeAsync(new GetChangeRequest { Id = change.ChangeInfo.Id });
        var list = await r53.ListResourceRecordSetsAsync(new ListResourceRecordSetsRequest { HostedZoneId = s.HostedZoneId, StartRecordName = "srv.hz1.local.", StartRecordType = RRType.A, MaxItems = "1" });
        var zone = await r53.GetHostedZoneAsync(new GetHostedZoneRequest { Id = "/hostedzone/" + s.HostedZoneId });

        change.ChangeInfo.Id.Should().StartWith("/change/C");
        status.ChangeInfo.Status.Should().Be(ChangeStatus.PENDING, "Route 53 takes seconds to bring a change INSYNC");
        list.ResourceRecordSets.Should().ContainSingle().Which.ResourceRecords.Single().Value.Should().Be("10.0.120.101");
        list.IsTruncated.Should().BeFalse();
        zone.HostedZone.Name.Should().Be("hz1.local.");
        zone.HostedZone.Config.PrivateZone.Should().BeTrue();
        zone.VPCs.Should().ContainSingle().Which.VPCId.Should().Be(s.VpcId);
    }

    [Fact]
    public async Task ZoneOutsideAnEnforcedPolicy_IsAccessDenied403_NamingTheActionAndTheZone()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions
        {
            Scenario = EmulatorScenario.Canonical,
            DnsPort = -1,
            Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"route53:ListResourceRecordSets","Resource":"arn:aws:route53:::hostedzone/*"}]}""",
        });
        var s = emu.Scenario!;
        var r53 = new AmazonRoute53Client(new HttpClient(), new AmazonRoute53Config { ServiceURL = emu.Endpoint, MaxErrorRetry = 0 }, emu.Credentials);

        await r53.ListResourceRecordSetsAsync(new ListResourceRecordSetsRequest { HostedZoneId = s.HostedZoneId });
        var act = () => r53.ChangeResourceRecordSetsAsync(Upsert(s.HostedZoneId, "srv.hz1.local.", "10.0.120.101"));

        var ex = (await act.Should().ThrowAsync<AmazonRoute53Exception>()).Which;
        ex.ErrorCode.Should().Be("AccessDenied");
        ex.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
        ex.Message.Should().Be($"User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: route53:ChangeResourceRecordSets on resource: arn:aws:route53:::hostedzone/{s.HostedZoneId} because no identity-based policy allows the route53:ChangeResourceRecordSets action");
    }

    [Fact]
    public async Task UnknownZone_IsNoSuchHostedZoneException_WithTheAwsMessage()
    {
        var (emu, r53) = await StartAsync();
        await using var _ = emu;

        var act = () => r53.GetHostedZoneAsync(new GetHostedZoneRequest { Id = "ZNOSUCH" });

        var ex = (await act.Should().ThrowAsync<NoSuchHostedZoneException>()).Which;
        ex.ErrorCode.Should().Be("NoSuchHostedZone");
        ex.Message.Should().Be("No hosted zone found with ID: ZNOSUCH");
        ex.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RejectedBatch_IsInvalidChangeBatchException()
    {
        var (emu, r53) = await StartAsync();
        await using var _ = emu;
        var create = Upsert(emu.Scenario!.HostedZoneId, "srv.hz1.local.", "10.0.0.1");
        create.ChangeBatch.Changes[0].Action = ChangeAction.CREATE;

        var act = () => r53.ChangeResourceRecordSetsAsync(create);

        (await act.Should().ThrowAsync<InvalidChangeBatchException>()).Which.Message.Should().Contain("but it already exists");
    }

    [Fact]
    public async Task Throttling_IsRetriedWithBackoff_UntilItGetsThrough()
    {
        var (emu, r53) = await StartAsync(retries: 3);
        await using var _ = emu;
        emu.Faults.Throttle("ChangeResourceRecordSets", 2);
        emu.Faults.Error("ListResourceRecordSets", "PriorRequestNotComplete", count: 1);

        await r53.ChangeResourceRecordSetsAsync(Upsert(emu.Scenario!.HostedZoneId, "srv.hz1.local.", "10.0.0.1"));
        await r53.ListResourceRecordSetsAsync(new ListResourceRecordSetsRequest { HostedZoneId = emu.Scenario.HostedZoneId });

        emu.Calls.Where(c => c.Operation == "ChangeResourceRecordSets").Select(c => c.ErrorCode).Should().Equal("Throttling", "Throttling", null);
        emu.Calls.Where(c => c.Operation == "ListResourceRecordSets").Select(c => c.Status).Should().Equal(400, 200);
    }

    [Fact]
    public async Task Throttling_BeyondTheRetries_SurfacesTheCode()
    {
        var (emu, r53) = await StartAsync(retries: 1);
        await using var _ = emu;
        emu.Faults.Throttle("GetHostedZone", 5);

        var act = () => r53.GetHostedZoneAsync(new GetHostedZoneRequest { Id = emu.Scenario!.HostedZoneId });

        (await act.Should().ThrowAsync<AmazonRoute53Exception>()).Which.ErrorCode.Should().Be("Throttling");
    }

    [Fact]
    public async Task WrongSecret_IsRejectedByTheEmulator_AsSignatureDoesNotMatch()
    {
        var (emu, r53) = await StartAsync(secret: "not-the-secret");
        await using var _ = emu;

        var act = () => r53.GetHostedZoneAsync(new GetHostedZoneRequest { Id = emu.Scenario!.HostedZoneId });

        var ex = (await act.Should().ThrowAsync<AmazonRoute53Exception>()).Which;
        ex.ErrorCode.Should().Be("SignatureDoesNotMatch");
        ex.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
    }

    [Fact]
    [Trait("Category", "Environment")]
    public void FromEnvironment_HonoursTheRoute53EndpointOverride()
    {
        lock (EnvironmentLock.Gate)
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_ROUTE_53", "http://127.0.0.1:4566");
            try
            {
                AmazonRoute53Config.FromEnvironment().ServiceURL.Should().Be(new Uri("http://127.0.0.1:4566"));
            }
            finally
            {
                Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_ROUTE_53", null);
            }
        }
    }
}

internal static class EnvironmentLock
{
    public static readonly object Gate = new();
}
