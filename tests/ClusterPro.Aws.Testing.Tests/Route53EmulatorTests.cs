using System.Net;
using System.Xml.Linq;
using DnsClient;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Aws.Testing.Tests;

public class Route53EmulatorTests
{
    private static readonly XNamespace Ns = Route53Http.R53;

    private static XElement Batch(params (string Action, string Name, long Ttl, string Ip)[] changes) =>
        new(Ns + "ChangeResourceRecordSetsRequest", new XElement(Ns + "ChangeBatch", new XElement(Ns + "Changes", changes.Select(c =>
            new XElement(Ns + "Change", new XElement(Ns + "Action", c.Action), new XElement(Ns + "ResourceRecordSet",
                new XElement(Ns + "Name", c.Name), new XElement(Ns + "Type", "A"), new XElement(Ns + "TTL", c.Ttl),
                new XElement(Ns + "ResourceRecords", new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", c.Ip)))))))));

    private static string Rrset(AwsEmulator emu) => $"/2013-04-01/hostedzone/{emu.Scenario!.HostedZoneId}/rrset";

    [Fact]
    public async Task GetHostedZone_CanonicalZone_IsPrivateAndAssociatedWithTheVpc()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, body) = await r53.SendAsync(HttpMethod.Get, $"/2013-04-01/hostedzone/{emu.Scenario!.HostedZoneId}");

        status.Should().Be(200);
        body.Element(Ns + "HostedZone")!.Element(Ns + "Name")!.Value.Should().Be("hz1.local.");
        body.Element(Ns + "HostedZone")!.Element(Ns + "Config")!.Element(Ns + "PrivateZone")!.Value.Should().Be("true");
        body.Element(Ns + "VPCs")!.Element(Ns + "VPC")!.Element(Ns + "VPCId")!.Value.Should().Be(emu.Scenario.VpcId);
    }

    [Fact]
    public async Task GetHostedZone_Unknown_IsNoSuchHostedZone404()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, body) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/hostedzone/ZNOSUCHZONE");

        status.Should().Be(404);
        body.Element(Ns + "Error")!.Element(Ns + "Code")!.Value.Should().Be("NoSuchHostedZone");
        body.Element(Ns + "Error")!.Element(Ns + "Message")!.Value.Should().Be("No hosted zone found with ID: ZNOSUCHZONE");
    }

    [Fact]
    public async Task CreateHostedZone_ThenAssociateVpc_ThenListHostedZones()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        var create = new XElement(Ns + "CreateHostedZoneRequest",
            new XElement(Ns + "Name", "hz2.local"),
            new XElement(Ns + "CallerReference", "ref-2"),
            new XElement(Ns + "VPC", new XElement(Ns + "VPCRegion", "ap-northeast-1"), new XElement(Ns + "VPCId", emu.Scenario!.VpcId)));

        var (status, created) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/hostedzone", body: create);
        var id = created.Element(Ns + "HostedZone")!.Element(Ns + "Id")!.Value.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal);
        var associate = new XElement(Ns + "AssociateVPCWithHostedZoneRequest", new XElement(Ns + "VPC", new XElement(Ns + "VPCRegion", "us-west-2"), new XElement(Ns + "VPCId", "vpc-0aaaaaaaaaaaaaaaa")));
        var (associateStatus, _) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{id}/associatevpc", body: associate);
        var (_, list) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/hostedzone", new Dictionary<string, string> { ["maxitems"] = "1" });

        status.Should().Be(201);
        created.Element(Ns + "HostedZone")!.Element(Ns + "Name")!.Value.Should().Be("hz2.local.");
        associateStatus.Should().Be(200);
        list.Element(Ns + "HostedZones")!.Elements().Should().HaveCount(1);
        list.Element(Ns + "IsTruncated")!.Value.Should().Be("true");
    }

    [Fact]
    public async Task ChangeResourceRecordSets_AwsValidation_RejectsTheWholeBatch()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (createStatus, create) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(("CREATE", "srv.hz1.local.", 300, "10.0.0.9")));
        var (deleteMissingStatus, deleteMissing) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(("DELETE", "gone.hz1.local.", 300, "10.0.0.9")));
        var (mismatchStatus, mismatch) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(("DELETE", "srv.hz1.local.", 60, "10.0.110.100")));
        var (mixedStatus, _) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(("UPSERT", "new.hz1.local.", 60, "10.0.0.7"), ("CREATE", "srv.hz1.local.", 300, "10.0.0.9")));

        createStatus.Should().Be(400);
        create.Element(Ns + "Error")!.Element(Ns + "Code")!.Value.Should().Be("InvalidChangeBatch");
        create.Element(Ns + "Error")!.Element(Ns + "Message")!.Value.Should().Be("[Tried to create resource record set [name='srv.hz1.local.', type='A'] but it already exists]");
        deleteMissingStatus.Should().Be(400);
        deleteMissing.Element(Ns + "Error")!.Element(Ns + "Message")!.Value.Should().Contain("but it was not found");
        mismatchStatus.Should().Be(400);
        mismatch.Element(Ns + "Error")!.Element(Ns + "Message")!.Value.Should().Contain("the values provided do not match the current values");
        mixedStatus.Should().Be(400);
        emu.Inspect.Record(emu.Scenario!.HostedZoneId, "new.hz1.local.").Should().BeNull("a rejected batch applies nothing");
    }

    [Fact]
    public async Task ChangeResourceRecordSets_UpsertThenExactDelete_Succeed_AndNamesAreNormalized()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (upsert, _) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(("UPSERT", "SRV.hz1.local", 60, "10.0.120.101")));
        var record = emu.Inspect.Record(emu.Scenario!.HostedZoneId, "srv.hz1.local.");
        var (delete, _) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(("DELETE", "srv.hz1.local.", 60, "10.0.120.101")));

        upsert.Should().Be(200);
        record!.Value.Ttl.Should().Be(60);
        record.Value.Values.Should().Equal("10.0.120.101");
        delete.Should().Be(200);
        emu.Inspect.Record(emu.Scenario.HostedZoneId, "srv.hz1.local.").Should().BeNull();
    }

    [Fact]
    public async Task ListResourceRecordSets_StartNameAndMaxItems_Truncates()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(("CREATE", "a.hz1.local.", 60, "10.0.0.1"), ("CREATE", "b.hz1.local.", 60, "10.0.0.2")));

        var (_, page) = await r53.SendAsync(HttpMethod.Get, Rrset(emu), new Dictionary<string, string> { ["name"] = "a.hz1.local.", ["type"] = "A", ["maxitems"] = "2" });

        page.Element(Ns + "ResourceRecordSets")!.Elements().Select(e => e.Element(Ns + "Name")!.Value).Should().Equal("a.hz1.local.", "b.hz1.local.");
        page.Element(Ns + "IsTruncated")!.Value.Should().Be("true");
        page.Element(Ns + "NextRecordName")!.Value.Should().Be("srv.hz1.local.");
        page.Element(Ns + "NextRecordType")!.Value.Should().Be("A");
    }

    [Fact]
    public async Task GetChange_IsPendingUntilThePropagationDelay_ThenInsync_AndDnsAnswersOnlyThen()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, TimeProvider = time, Route53PropagationDelay = TimeSpan.FromSeconds(60) });
        using var r53 = new Route53Http(emu);
        var dns = new LookupClient(new LookupClientOptions(emu.DnsEndpoint!) { UseCache = false, Retries = 0, Timeout = TimeSpan.FromSeconds(2) });

        var (_, changed) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(("UPSERT", "srv.hz1.local.", 60, "10.0.120.101")));
        var changeId = changed.Element(Ns + "ChangeInfo")!.Element(Ns + "Id")!.Value;
        var before = await dns.QueryAsync("srv.hz1.local", QueryType.A);
        time.Advance(TimeSpan.FromSeconds(59));
        var (_, pending) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01" + changeId);
        time.Advance(TimeSpan.FromSeconds(1));
        var (_, insync) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01" + changeId);
        var after = await dns.QueryAsync("srv.hz1.local", QueryType.A);
        var missing = await dns.QueryAsync("nope.hz1.local", QueryType.A);

        changed.Element(Ns + "ChangeInfo")!.Element(Ns + "Status")!.Value.Should().Be("PENDING");
        pending.Element(Ns + "ChangeInfo")!.Element(Ns + "Status")!.Value.Should().Be("PENDING");
        insync.Element(Ns + "ChangeInfo")!.Element(Ns + "Status")!.Value.Should().Be("INSYNC");
        before.Answers.ARecords().Single().Address.Should().Be(IPAddress.Parse("10.0.110.100"), "name servers answer the old record until INSYNC");
        after.Answers.ARecords().Single().Address.Should().Be(IPAddress.Parse("10.0.120.101"));
        missing.Header.ResponseCode.Should().Be(DnsHeaderResponseCode.NotExistentDomain);
    }

    [Fact]
    public async Task Dns_RecordDrift_IsAnsweredAtOnce_AndDeletedRecordIsNxDomain()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical });
        var dns = new LookupClient(new LookupClientOptions(emu.DnsEndpoint!) { UseCache = false, Retries = 0 });

        emu.Drift.SetRecord(emu.Scenario!.HostedZoneId, "srv.hz1.local.", "10.9.9.9", 30);
        var changed = await dns.QueryAsync("srv.hz1.local", QueryType.A);
        emu.Drift.DeleteRecord(emu.Scenario.HostedZoneId, "srv.hz1.local.");
        var deleted = await dns.QueryAsync("srv.hz1.local", QueryType.A);

        changed.Answers.ARecords().Single().Address.ToString().Should().Be("10.9.9.9");
        changed.Answers.ARecords().Single().InitialTimeToLive.Should().Be(30, "the TTL as answered (TimeToLive counts down as the test runs)");
        deleted.Header.ResponseCode.Should().Be(DnsHeaderResponseCode.NotExistentDomain);
    }

    [Fact]
    public async Task Throttling_AndDeny_AnswerInRoute53Shapes()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        emu.Faults.Throttle("ChangeResourceRecordSets", 1);
        emu.Faults.Deny("ListResourceRecordSets", emu.Scenario!.HostedZoneId);

        var (throttled, throttle) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(("UPSERT", "srv.hz1.local.", 60, "10.0.0.1")));
        var (deniedStatus, denied) = await r53.SendAsync(HttpMethod.Get, Rrset(emu));

        throttled.Should().Be(400);
        throttle.Element(Ns + "Error")!.Element(Ns + "Code")!.Value.Should().Be("Throttling");
        deniedStatus.Should().Be(403);
        denied.Element(Ns + "Error")!.Element(Ns + "Code")!.Value.Should().Be("AccessDenied");
        denied.Element(Ns + "Error")!.Element(Ns + "Message")!.Value.Should().Contain("route53:ListResourceRecordSets").And.Contain(emu.Scenario.HostedZoneId);
    }

    [Fact]
    public async Task WrongSecret_IsSignatureDoesNotMatch403()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu, secret: "wrong");

        var (status, body) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/hostedzone");

        status.Should().Be(403);
        body.Element(Ns + "Error")!.Element(Ns + "Code")!.Value.Should().Be("SignatureDoesNotMatch");
    }
}
