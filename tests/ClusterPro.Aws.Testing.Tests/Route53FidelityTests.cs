using System.Xml.Linq;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>
/// Route 53 answers as AWS gives them, and the calls set-up code makes beyond the product's own client (tags, health
/// checks, comments), through requests signed by AWSSDK.Core's signer.
/// </summary>
public class Route53FidelityTests
{
    private static readonly XNamespace Ns = Route53Http.R53;

    private static XElement Change(string action, string name, params string[] values) =>
        new(Ns + "Change", new XElement(Ns + "Action", action), new XElement(Ns + "ResourceRecordSet",
            new XElement(Ns + "Name", name), new XElement(Ns + "Type", "A"), new XElement(Ns + "TTL", 60),
            new XElement(Ns + "ResourceRecords", values.Select(v => new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", v))))));

    private static XElement Batch(IEnumerable<XElement> changes) =>
        new(Ns + "ChangeResourceRecordSetsRequest", new XElement(Ns + "ChangeBatch", new XElement(Ns + "Changes", changes)));

    private static string Code(XElement error) => error.Element(Ns + "Error")!.Element(Ns + "Code")!.Value;

    private static string Message(XElement error) => error.Element(Ns + "Error")!.Element(Ns + "Message")!.Value;

    private static async Task<string> CreateZoneAsync(Route53Http r53, string name)
    {
        var (_, created) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/hostedzone", body: new XElement(Ns + "CreateHostedZoneRequest",
            new XElement(Ns + "Name", name), new XElement(Ns + "CallerReference", "ref-" + name)));
        return created.Element(Ns + "HostedZone")!.Element(Ns + "Id")!.Value.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal);
    }

    private static XElement HealthCheckRequest(string reference, string ip, string? type = "HTTP") =>
        new(Ns + "CreateHealthCheckRequest", new XElement(Ns + "CallerReference", reference), new XElement(Ns + "HealthCheckConfig",
            new XElement(Ns + "IPAddress", ip), type is null ? null : new XElement(Ns + "Type", type), new XElement(Ns + "ResourcePath", "/health")));

    [Fact]
    public async Task ListResourceRecordSets_WithoutMaxItems_PagesAt300()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        var zone = await CreateZoneAsync(r53, "many.example.");
        var (created, _) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{zone}/rrset", body: Batch(Enumerable.Range(0, 310).Select(i => Change("CREATE", $"h{i:000}.many.example.", "192.0.2.1"))));

        var (status, first) = await r53.SendAsync(HttpMethod.Get, $"/2013-04-01/hostedzone/{zone}/rrset");

        created.Should().Be(200);
        status.Should().Be(200);
        first.Element(Ns + "ResourceRecordSets")!.Elements().Should().HaveCount(300);
        first.Element(Ns + "IsTruncated")!.Value.Should().Be("true");
        first.Element(Ns + "MaxItems")!.Value.Should().Be("300");
    }

    [Fact]
    public async Task ChangeResourceRecordSets_MoreThan1000Records_UpsertsCountedTwice_IsInvalidChangeBatch()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        var zone = await CreateZoneAsync(r53, "limits.example.");
        var values = Enumerable.Range(1, 100).Select(i => $"192.0.2.{i}").ToArray();

        var (fiveHundredUpserts, _) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{zone}/rrset", body: Batch(Enumerable.Range(0, 5).Select(i => Change("UPSERT", $"u{i}.limits.example.", values))));
        var (sixHundredUpserts, upsertError) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{zone}/rrset", body: Batch(Enumerable.Range(0, 6).Select(i => Change("UPSERT", $"v{i}.limits.example.", values))));
        var (elevenHundredCreates, createError) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{zone}/rrset", body: Batch(Enumerable.Range(0, 11).Select(i => Change("CREATE", $"c{i}.limits.example.", values))));

        fiveHundredUpserts.Should().Be(200, "500 records, counted twice, are exactly the limit");
        sixHundredUpserts.Should().Be(400);
        Code(upsertError).Should().Be("InvalidChangeBatch");
        Message(upsertError).Should().Be("[Number of records limit of 1000 exceeded.]");
        elevenHundredCreates.Should().Be(400);
        Code(createError).Should().Be("InvalidChangeBatch");
        emu.Inspect.Record(zone, "c0.limits.example.").Should().BeNull("nothing of a refused batch is applied");
    }

    [Fact]
    public async Task CreateHostedZone_XmlExternalEntity_IsRefused_AndNoZoneIsCreated()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);
        const string Payload = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/hostname"> ]>
            <CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/"><Name>&xxe;</Name><CallerReference>xxe</CallerReference></CreateHostedZoneRequest>
            """;

        var (status, body) = await raw.SendAsync(new RawAws.Call("POST", "route53", "us-east-1") { Path = "/2013-04-01/hostedzone", Body = Payload, ContentType = "application/xml" });
        using var r53 = new Route53Http(emu);
        var (_, zones) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/hostedzone");

        status.Should().Be(400);
        body.Should().Contain("<Code>InvalidInput</Code>").And.Contain("DOCTYPE is disallowed");
        zones.Element(Ns + "HostedZones")!.Elements().Should().ContainSingle("only the canonical zone exists");
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    public async Task CreateHostedZone_EmptyName_IsRefused(string name)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, error) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/hostedzone", body: new XElement(Ns + "CreateHostedZoneRequest",
            new XElement(Ns + "Name", name), new XElement(Ns + "CallerReference", "empty")));

        status.Should().Be(400);
        Code(error).Should().BeOneOf("InvalidInput", "InvalidDomainName");
    }

    [Fact]
    public async Task ChangeResourceRecordSets_UnknownAction_IsTheSchemasEnumerationError()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, error) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{emu.Scenario!.HostedZoneId}/rrset", body: Batch([Change("MOVE", "x.hz1.local.", "10.0.0.1")]));

        status.Should().Be(400);
        Code(error).Should().Be("InvalidInput");
        Message(error).Should().Be("Invalid XML ; cvc-enumeration-valid: Value 'MOVE' is not facet-valid with respect to enumeration '[CREATE, DELETE, UPSERT]'. It must be a value from the enumeration.");
    }

    [Fact]
    public async Task CreateHostedZone_DelegationSetId_IsNoSuchDelegationSet()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (status, error) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/hostedzone", body: new XElement(Ns + "CreateHostedZoneRequest",
            new XElement(Ns + "Name", "reuse.example."), new XElement(Ns + "CallerReference", "reuse"), new XElement(Ns + "DelegationSetId", "N1PA6795SAMPLE")));

        status.Should().Be(400);
        Code(error).Should().Be("NoSuchDelegationSet");
    }

    [Fact]
    public async Task Tags_AddListRemove_OnAHostedZone_AndUnknownTypeOrZoneAreRefused()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        var zone = emu.Scenario!.HostedZoneId;
        var change = new XElement(Ns + "ChangeTagsForResourceRequest",
            new XElement(Ns + "AddTags", new XElement(Ns + "Tag", new XElement(Ns + "Key", "env"), new XElement(Ns + "Value", "test")), new XElement(Ns + "Tag", new XElement(Ns + "Key", "team"), new XElement(Ns + "Value", "ha"))));

        var (added, _) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/tags/hostedzone/{zone}", body: change);
        var (removed, _) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/tags/hostedzone/{zone}", body: new XElement(Ns + "ChangeTagsForResourceRequest", new XElement(Ns + "RemoveTagKeys", new XElement(Ns + "Key", "team"))));
        var (_, listed) = await r53.SendAsync(HttpMethod.Get, $"/2013-04-01/tags/hostedzone/{zone}");
        var (_, many) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/tags/hostedzone", body: new XElement(Ns + "ListTagsForResourcesRequest", new XElement(Ns + "ResourceIds", new XElement(Ns + "ResourceId", zone))));
        var (badType, typeError) = await r53.SendAsync(HttpMethod.Get, $"/2013-04-01/tags/bucket/{zone}");
        var (badZone, zoneError) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/tags/hostedzone/ZNOSUCHZONE");

        added.Should().Be(200);
        removed.Should().Be(200);
        var set = listed.Element(Ns + "ResourceTagSet")!;
        set.Element(Ns + "ResourceType")!.Value.Should().Be("hostedzone");
        set.Element(Ns + "ResourceId")!.Value.Should().Be(zone);
        set.Element(Ns + "Tags")!.Elements(Ns + "Tag").Select(t => (t.Element(Ns + "Key")!.Value, t.Element(Ns + "Value")!.Value)).Should().Equal(("env", "test"));
        many.Element(Ns + "ResourceTagSets")!.Elements(Ns + "ResourceTagSet").Should().ContainSingle();
        badType.Should().Be(400);
        Message(typeError).Should().Contain("Member must satisfy enum value set: [healthcheck, hostedzone]");
        badZone.Should().Be(404);
        Code(zoneError).Should().Be("NoSuchHostedZone");
    }

    [Fact]
    public async Task HealthChecks_CreateGetListDelete_WithDefaultsIdempotencyAndInUse()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (created, first) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/healthcheck", body: HealthCheckRequest("hc-1", "198.51.100.7"));
        var (again, second) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/healthcheck", body: HealthCheckRequest("hc-1", "198.51.100.7"));
        var (conflict, conflictError) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/healthcheck", body: HealthCheckRequest("hc-1", "198.51.100.8"));
        var id = first.Element(Ns + "HealthCheck")!.Element(Ns + "Id")!.Value;
        var (_, got) = await r53.SendAsync(HttpMethod.Get, $"/2013-04-01/healthcheck/{id}");
        var (_, listed) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/healthcheck");
        var record = new XElement(Ns + "Change", new XElement(Ns + "Action", "CREATE"), new XElement(Ns + "ResourceRecordSet",
            new XElement(Ns + "Name", "checked.hz1.local."), new XElement(Ns + "Type", "A"), new XElement(Ns + "SetIdentifier", "one"), new XElement(Ns + "Weight", 1),
            new XElement(Ns + "TTL", 60), new XElement(Ns + "ResourceRecords", new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", "10.0.0.9"))), new XElement(Ns + "HealthCheckId", id)));
        await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{emu.Scenario!.HostedZoneId}/rrset", body: Batch([record]));
        var (inUse, inUseError) = await r53.SendAsync(HttpMethod.Delete, $"/2013-04-01/healthcheck/{id}");
        var (_, count) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/healthcheckcount");

        created.Should().Be(201);
        again.Should().Be(200, "the same caller reference and configuration answer the same health check");
        second.Element(Ns + "HealthCheck")!.Element(Ns + "Id")!.Value.Should().Be(id);
        conflict.Should().Be(409);
        Code(conflictError).Should().Be("HealthCheckAlreadyExists");
        var config = got.Element(Ns + "HealthCheck")!.Element(Ns + "HealthCheckConfig")!;
        config.Elements().Select(e => e.Name.LocalName).Should().Equal("IPAddress", "Port", "Type", "ResourcePath", "RequestInterval", "FailureThreshold", "MeasureLatency", "Inverted", "Disabled", "EnableSNI");
        config.Element(Ns + "Port")!.Value.Should().Be("80");
        config.Element(Ns + "RequestInterval")!.Value.Should().Be("30");
        config.Element(Ns + "FailureThreshold")!.Value.Should().Be("3");
        got.Element(Ns + "HealthCheck")!.Element(Ns + "HealthCheckVersion")!.Value.Should().Be("1");
        listed.Element(Ns + "HealthChecks")!.Elements().Should().ContainSingle();
        inUse.Should().Be(400);
        Code(inUseError).Should().Be("HealthCheckInUse");
        count.Element(Ns + "HealthCheckCount")!.Value.Should().Be("1");
    }

    [Fact]
    public async Task HealthChecks_BadConfigurations_AreInvalidInput_AndUnknownIdsNoSuchHealthCheck()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);

        var (privateIp, privateError) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/healthcheck", body: HealthCheckRequest("hc-private", "10.0.0.5"));
        var (badType, typeError) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/healthcheck", body: HealthCheckRequest("hc-type", "198.51.100.9", "PING"));
        var (missing, missingError) = await r53.SendAsync(HttpMethod.Get, "/2013-04-01/healthcheck/11111111-2222-3333-4444-555555555555");
        var unknownCheck = Batch([new XElement(Ns + "Change", new XElement(Ns + "Action", "CREATE"), new XElement(Ns + "ResourceRecordSet",
            new XElement(Ns + "Name", "x.hz1.local."), new XElement(Ns + "Type", "A"), new XElement(Ns + "TTL", 60),
            new XElement(Ns + "ResourceRecords", new XElement(Ns + "ResourceRecord", new XElement(Ns + "Value", "10.0.0.9"))), new XElement(Ns + "HealthCheckId", "11111111-2222-3333-4444-555555555555")))]);
        var (unknownStatus, unknownError) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/hostedzone/{emu.Scenario!.HostedZoneId}/rrset", body: unknownCheck);

        privateIp.Should().Be(400);
        Code(privateError).Should().Be("InvalidInput");
        badType.Should().Be(400);
        Message(typeError).Should().Contain("cvc-enumeration-valid: Value 'PING'");
        missing.Should().Be(404);
        Code(missingError).Should().Be("NoSuchHealthCheck");
        unknownStatus.Should().Be(404);
        Code(unknownError).Should().Be("NoSuchHealthCheck");
    }

    [Fact]
    public async Task UpdateHealthCheck_ChangesTheConfiguration_AndAStaleVersionIsAMismatch()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        var (_, created) = await r53.SendAsync(HttpMethod.Post, "/2013-04-01/healthcheck", body: HealthCheckRequest("hc-up", "198.51.100.7"));
        var id = created.Element(Ns + "HealthCheck")!.Element(Ns + "Id")!.Value;

        var (updated, body) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/healthcheck/{id}", body: new XElement(Ns + "UpdateHealthCheckRequest",
            new XElement(Ns + "HealthCheckVersion", 1), new XElement(Ns + "FailureThreshold", 5)));
        var (stale, staleError) = await r53.SendAsync(HttpMethod.Post, $"/2013-04-01/healthcheck/{id}", body: new XElement(Ns + "UpdateHealthCheckRequest",
            new XElement(Ns + "HealthCheckVersion", 1), new XElement(Ns + "Disabled", true)));

        updated.Should().Be(200);
        body.Element(Ns + "HealthCheck")!.Element(Ns + "HealthCheckConfig")!.Element(Ns + "FailureThreshold")!.Value.Should().Be("5");
        body.Element(Ns + "HealthCheck")!.Element(Ns + "HealthCheckVersion")!.Value.Should().Be("2");
        stale.Should().Be(409);
        Code(staleError).Should().Be("HealthCheckVersionMismatch");
    }

    [Fact]
    public async Task UpdateHostedZoneComment_SetsAndClearsTheComment()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var r53 = new Route53Http(emu);
        var path = $"/2013-04-01/hostedzone/{emu.Scenario!.HostedZoneId}";

        var (status, updated) = await r53.SendAsync(HttpMethod.Post, path, body: new XElement(Ns + "UpdateHostedZoneCommentRequest", new XElement(Ns + "Comment", "owned by the HA team")));
        var (_, got) = await r53.SendAsync(HttpMethod.Get, path);
        var (tooLong, tooLongError) = await r53.SendAsync(HttpMethod.Post, path, body: new XElement(Ns + "UpdateHostedZoneCommentRequest", new XElement(Ns + "Comment", new string('x', 257))));
        await r53.SendAsync(HttpMethod.Post, path, body: new XElement(Ns + "UpdateHostedZoneCommentRequest"));
        var (_, cleared) = await r53.SendAsync(HttpMethod.Get, path);

        status.Should().Be(200);
        updated.Element(Ns + "HostedZone")!.Element(Ns + "Config")!.Element(Ns + "Comment")!.Value.Should().Be("owned by the HA team");
        got.Element(Ns + "HostedZone")!.Element(Ns + "Config")!.Element(Ns + "Comment")!.Value.Should().Be("owned by the HA team");
        tooLong.Should().Be(400);
        Code(tooLongError).Should().Be("InvalidInput");
        cleared.Element(Ns + "HostedZone")!.Element(Ns + "Config")!.Element(Ns + "Comment").Should().BeNull();
    }
}
