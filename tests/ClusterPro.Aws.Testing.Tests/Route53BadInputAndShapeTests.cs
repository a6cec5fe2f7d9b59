using System.Xml.Linq;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>Route 53's validation (InvalidInput / InvalidChangeBatch, never a 500), routing sets, name servers, zone set-up calls and timing.</summary>
public class Route53BadInputAndShapeTests
{
    private static readonly XNamespace Ns = Route53Http.R53;

    private static string Rrset(AwsEmulator emu) => $"/2013-04-01/hostedzone/{emu.Scenario!.HostedZoneId}/rrset";

    private static XElement Batch(params XElement[] changes) =>
        new(Ns + "ChangeResourceRecordSetsRequest", new XElement(Ns + "ChangeBatch", new XElement(Ns + "Changes", changes)));

    private static XElement Change(string action, string name, params object?[] fields) =>
        new(Ns + "Change", new XElement(Ns + "Action", action), new XElement(Ns + "ResourceRecordSet", new XElement(Ns + "Name", name), new XElement(Ns + "Type", "A"), fields));

    private static XElement Ttl(object ttl) => new(Ns + "TTL", ttl);

    private static XElement Values(params string[] values) => new(Ns + "ResourceRecords", values.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v))));

    private static string Code(XElement body) => body.Element(Ns + "Error")!.Element(Ns + "Code")!.Value;

    private static string Message(XElement body) => body.Element(Ns + "Error")!.Element(Ns + "Message")!.Value;

    [Fact]
    public async Task Upsert_TtlNotANumber_IsInvalidInput400()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, body) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(Change("UPSERT", "srv.hz1.local.", Ttl("abc"), Values("10.0.0.1"))));

        status.Should().Be(400);
        Code(body).Should().Be("InvalidInput");
        Message(body).Should().Contain("'abc' is not a valid value for 'integer'");
    }

    [Theory]
    [InlineData("10.0.0.256")]
    [InlineData("abc")]
    [InlineData("::1")]
    public async Task Upsert_NotAnIpv4Address_IsInvalidChangeBatch(string value)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, body) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(Change("UPSERT", "srv.hz1.local.", Ttl(60), Values(value))));

        status.Should().Be(400);
        Code(body).Should().Be("InvalidChangeBatch");
        Message(body).Should().Contain("ARRDATAIllegalIPv4Address").And.Contain(value);
    }

    [Fact]
    public async Task Delete_WithoutTtlAndValues_IsInvalidInput()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, body) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(Change("DELETE", "srv.hz1.local.")));

        status.Should().Be(400);
        Code(body).Should().Be("InvalidInput");
        Message(body).Should().Contain("Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords]");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("2147483648")]
    public async Task Upsert_TtlOutOfRange_IsInvalidInput(string ttl)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, body) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(Change("UPSERT", "srv.hz1.local.", Ttl(ttl), Values("10.0.0.1"))));

        status.Should().Be(400);
        Code(body).Should().Be("InvalidInput");
    }

    [Theory]
    [InlineData("name", "a b.hz1.local.")]
    [InlineData("maxitems", "abc")]
    [InlineData("maxitems", "0")]
    public async Task ListResourceRecordSets_MalformedQuery_IsInvalidInput(string parameter, string value)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, body) = await r53.SendAsync(HttpMethod.Get, Rrset(emu), new Dictionary<string, string> { [parameter] = value });

        status.Should().Be(400);
        Code(body).Should().Be("InvalidInput");
    }

    [Fact]
    public async Task WeightedRecords_WithSetIdentifiers_Coexist_AndASimpleOneCannotJoinThem()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        XElement Weighted(string id, int weight, string ip) => Change("CREATE", "app.hz1.local.", new XElement(Ns + "SetIdentifier", id), new XElement(Ns + "Weight", weight), Ttl(60), Values(ip));

        var (created, createdBody) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(Weighted("blue", 90, "10.0.0.1"), Weighted("green", 10, "10.0.0.2")));
        var (simple, simpleBody) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(Change("CREATE", "app.hz1.local.", Ttl(60), Values("10.0.0.3"))));
        var (noPolicy, noPolicyBody) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(Change("CREATE", "app.hz1.local.", new XElement(Ns + "SetIdentifier", "red"), Ttl(60), Values("10.0.0.4"))));
        var (_, list) = await r53.SendAsync(HttpMethod.Get, Rrset(emu), new Dictionary<string, string> { ["name"] = "app.hz1.local.", ["type"] = "A", ["maxitems"] = "1" });
        var (deleted, _) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(new XElement(Ns + "Change", new XElement(Ns + "Action", "DELETE"), Weighted("blue", 90, "10.0.0.1").Element(Ns + "ResourceRecordSet"))));

        created.Should().Be(200, createdBody.ToString());
        simple.Should().Be(400);
        Code(simpleBody).Should().Be("InvalidChangeBatch");
        noPolicy.Should().Be(400);
        Code(noPolicyBody).Should().Be("InvalidInput");
        var first = list.Element(Ns + "ResourceRecordSets")!.Element(Ns + "ResourceRecordSet")!;
        first.Element(Ns + "SetIdentifier")!.Value.Should().Be("blue");
        first.Element(Ns + "Weight")!.Value.Should().Be("90");
        list.Element(Ns + "NextRecordIdentifier")!.Value.Should().Be("green");
        deleted.Should().Be(200);
    }

    [Fact]
    public async Task CreateHostedZone_ReturnsFourNameServers_AndTheZonesNsRecordHoldsThem()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        var create = new XElement(Ns + "CreateHostedZoneRequest", new XElement(Ns + "Name", "example.test."), new XElement(Ns + "CallerReference", "ref-ns"));

        var (status, body) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/hostedzone", body: create);
        var id = body.Element(Ns + "HostedZone")!.Element(Ns + "Id")!.Value;
        var (_, records) = await r53.SendAsync(HttpMethod.Get, $"/2013-04-01{id}/rrset");

        status.Should().Be(201);
        var nameServers = body.Element(Ns + "DelegationSet")!.Element(Ns + "NameServers")!.Elements().Select(e => e.Value).ToList();
        nameServers.Should().HaveCount(4).And.OnlyContain(n => n.StartsWith("ns-", StringComparison.Ordinal) && n.Contains(".awsdns-", StringComparison.Ordinal));
        records.Descendants(Ns + "ResourceRecordSet").Single(r => r.Element(Ns + "Type")!.Value == "NS")
            .Descendants(Ns + "Value").Select(v => v.Value.TrimEnd('.')).Should().Equal(nameServers);
    }

    [Fact]
    public async Task ZoneSetUpCalls_ListByName_Count_AndDeleteOnlyWhenEmpty()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        foreach (var name in new[] { "b.test.", "a.test." })
        {
            await r53.SendAsync(HttpMethod.Post, "/2013-04-01/hostedzone", body: new XElement(Ns + "CreateHostedZoneRequest", new XElement(Ns + "Name", name), new XElement(Ns + "CallerReference", "ref-" + name)));
        }

        var (_, count) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/hostedzonecount");
        var (_, byName) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/hostedzonesbyname", new Dictionary<string, string> { ["dnsname"] = "a.test", ["maxitems"] = "1" });
        var (notEmpty, notEmptyBody) = await r53.SendAsync(HttpMethod.Delete, $"/2013-04-01/hostedzone/{emu.Scenario!.HostedZoneId}");
        var aId = byName.Element(Ns + "HostedZones")!.Element(Ns + "HostedZone")!.Element(Ns + "Id")!.Value;
        var (deleted, deletedBody) = await r53.SendAsync(HttpMethod.Delete, "/2013-04-01" + aId);
        var (_, after) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/hostedzonecount");

        count.Element(Ns + "HostedZoneCount")!.Value.Should().Be("3");
        byName.Element(Ns + "HostedZones")!.Element(Ns + "HostedZone")!.Element(Ns + "Name")!.Value.Should().Be("a.test.");
        byName.Element(Ns + "IsTruncated")!.Value.Should().Be("true");
        byName.Element(Ns + "NextDNSName")!.Value.Should().Be("b.test.");
        notEmpty.Should().Be(400);
        Code(notEmptyBody).Should().Be("HostedZoneNotEmpty");
        deleted.Should().Be(200, deletedBody.ToString());
        after.Element(Ns + "HostedZoneCount")!.Value.Should().Be("2");
    }

    [Fact]
    public async Task Changes_ArePendingForSecondsByDefault()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1, TimeProvider = time });
        using var r53 = new Route53Http(emu);

        var (_, changed) = await r53.SendAsync(HttpMethod.Post, Rrset(emu), body: Batch(Change("UPSERT", "srv.hz1.local.", Ttl(60), Values("10.0.0.9"))));
        var id = changed.Element(Ns + "ChangeInfo")!.Element(Ns + "Id")!.Value;
        time.Advance(TimeSpan.FromSeconds(2));
        var (_, pending) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01" + id);
        time.Advance(TimeSpan.FromSeconds(1));
        var (_, insync) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01" + id);

        changed.Element(Ns + "ChangeInfo")!.Element(Ns + "Status")!.Value.Should().Be("PENDING");
        pending.Element(Ns + "ChangeInfo")!.Element(Ns + "Status")!.Value.Should().Be("PENDING");
        insync.Element(Ns + "ChangeInfo")!.Element(Ns + "Status")!.Value.Should().Be("INSYNC");
    }
}
