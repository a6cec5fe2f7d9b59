using System.Globalization;
using System.Xml.Linq;
using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>A Route 53 response: status, body and an optional Location header.</summary>
internal sealed record Route53Response(int Status, XElement Body, string? Location = null);

/// <summary>The Route 53 REST-XML API (<c>/2013-04-01/…</c>) in AWS's shapes.</summary>
internal static class Route53Handler
{
    public const string Prefix = "/2013-04-01/";
    public static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    /// <summary>The operation name for a method and path (for faults, call counts and errors).</summary>
    public static string OperationOf(string method, string path)
    {
        var parts = path[Prefix.Length..].TrimEnd('/').Split('/');
        return (method, parts) switch
        {
            ("POST", ["hostedzone"]) => "CreateHostedZone",
            ("GET", ["hostedzone"]) => "ListHostedZones",
            ("GET", ["hostedzonesbyname"]) => "ListHostedZonesByName",
            ("GET", ["hostedzonecount"]) => "GetHostedZoneCount",
            ("GET", ["hostedzone", _]) => "GetHostedZone",
            ("DELETE", ["hostedzone", _]) => "DeleteHostedZone",
            ("POST", ["hostedzone", _, "associatevpc"]) => "AssociateVPCWithHostedZone",
            ("POST", ["hostedzone", _, "rrset"]) => "ChangeResourceRecordSets",
            ("GET", ["hostedzone", _, "rrset"]) => "ListResourceRecordSets",
            ("GET", ["change", _]) => "GetChange",
            _ => "Unknown",
        };
    }

    public static Route53Response Handle(string operation, string path, IReadOnlyDictionary<string, string> query, XDocument? body, Route53State state, int? pageSize)
    {
        var parts = path[Prefix.Length..].TrimEnd('/').Split('/');
        var root = body?.Root;
        switch (operation)
        {
            case "CreateHostedZone":
            {
                var name = Value(root, "Name") ?? throw new AwsErrorException("InvalidInput", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
                var caller = Value(root, "CallerReference") ?? throw new AwsErrorException("InvalidInput", "1 validation error detected: Value null at 'callerReference' failed to satisfy constraint: Member must not be null");
                var vpc = root?.Element(Ns + "VPC");
                var config = root?.Element(Ns + "HostedZoneConfig");
                var isPrivate = string.Equals(Value(config, "PrivateZone"), "true", StringComparison.OrdinalIgnoreCase);
                var (zone, change) = state.CreateHostedZone(name, caller, isPrivate, Value(config, "Comment"), Value(vpc, "VPCRegion"), Value(vpc, "VPCId"));
                return new Route53Response(201, E("CreateHostedZoneResponse", Zone(zone), ChangeInfo(state, change), Delegation(zone), zone.Vpcs.Select(Vpc).FirstOrDefault()), $"https://route53.amazonaws.com/2013-04-01/hostedzone/{zone.Id}");
            }

            case "GetHostedZone":
            {
                var zone = state.Zone(parts[1]);
                return Ok(E("GetHostedZoneResponse", Zone(zone), zone.Private ? null : Delegation(zone), zone.Private ? E("VPCs", zone.Vpcs.Select(Vpc)) : null));
            }

            case "DeleteHostedZone":
                return Ok(E("DeleteHostedZoneResponse", ChangeInfo(state, state.DeleteHostedZone(parts[1]))));

            case "GetHostedZoneCount":
                return Ok(E("GetHostedZoneCountResponse", E("HostedZoneCount", state.Zones.Count.ToString(CultureInfo.InvariantCulture))));

            case "ListHostedZonesByName":
            {
                query.TryGetValue("dnsname", out var dnsName);
                query.TryGetValue("hostedzoneid", out var startId);
                if (startId is not null && dnsName is null)
                {
                    throw new AwsErrorException("InvalidInput", "The input is not valid: hostedzoneid is specified without dnsname");
                }

                if (dnsName is not null)
                {
                    Route53Validation.CheckName(dnsName);
                }

                var zones = state.Zones.Values
                    .OrderBy(z => Route53State.Reverse(z.Name), StringComparer.Ordinal).ThenBy(z => z.Id, StringComparer.Ordinal).ToList();
                var start = dnsName is null ? 0 : zones.FindIndex(z =>
                {
                    var byName = string.CompareOrdinal(Route53State.Reverse(z.Name), Route53State.Reverse(Route53State.NormalizeName(dnsName)));
                    return byName > 0 || (byName == 0 && (startId is null || string.CompareOrdinal(z.Id, startId) >= 0));
                });
                start = start < 0 ? zones.Count : start;
                var max = Route53Validation.MaxItems(query, 100, pageSize);
                var page = zones.Skip(start).Take(max).ToList();
                var next = start + page.Count < zones.Count ? zones[start + page.Count] : null;
                return Ok(E(
                    "ListHostedZonesByNameResponse",
                    E("HostedZones", page.Select(Zone)),
                    dnsName is null ? null : E("DNSName", dnsName),
                    startId is null ? null : E("HostedZoneId", startId),
                    E("IsTruncated", next is null ? "false" : "true"),
                    next is null ? null : E("NextDNSName", next.Name),
                    next is null ? null : E("NextHostedZoneId", next.Id),
                    E("MaxItems", max.ToString(CultureInfo.InvariantCulture))));
            }

            case "ListHostedZones":
            {
                var zones = state.Zones.Values.OrderBy(z => Route53State.Reverse(z.Name), StringComparer.Ordinal).ToList();
                var max = Route53Validation.MaxItems(query, 100, pageSize);
                var start = query.TryGetValue("marker", out var marker) ? zones.FindIndex(z => z.Id == marker) : 0;
                if (start < 0)
                {
                    throw new AwsErrorException("InvalidInput", $"The specified marker is not valid: {marker}");
                }
                var page = zones.Skip(Math.Max(0, start)).Take(max).ToList();
                var truncated = Math.Max(0, start) + page.Count < zones.Count;
                return Ok(E(
                    "ListHostedZonesResponse",
                    E("HostedZones", page.Select(Zone)),
                    query.TryGetValue("marker", out var m) ? E("Marker", m) : null,
                    E("IsTruncated", truncated ? "true" : "false"),
                    truncated ? E("NextMarker", zones[Math.Max(0, start) + page.Count].Id) : null,
                    E("MaxItems", max.ToString(CultureInfo.InvariantCulture))));
            }

            case "AssociateVPCWithHostedZone":
            {
                var vpc = root?.Element(Ns + "VPC");
                var change = state.AssociateVpc(parts[1], Value(vpc, "VPCRegion") ?? "us-east-1", Value(vpc, "VPCId") ?? throw new AwsErrorException("InvalidInput", "VPCId is required."));
                return Ok(E("AssociateVPCWithHostedZoneResponse", ChangeInfo(state, change)));
            }

            case "ChangeResourceRecordSets":
            {
                var batch = root?.Element(Ns + "ChangeBatch");
                var changes = batch?.Element(Ns + "Changes")?.Elements(Ns + "Change")
                    .Select((c, i) => Route53Validation.Change(c, i + 1, Ns))
                    .ToList() ?? [];
                if (changes.Count == 0)
                {
                    throw new AwsErrorException("InvalidInput", "1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1");
                }

                var change = state.ChangeResourceRecordSets(parts[1], changes, Value(batch, "Comment"));
                return Ok(E("ChangeResourceRecordSetsResponse", ChangeInfo(state, change)));
            }

            case "ListResourceRecordSets":
            {
                var zone = state.Zone(parts[1]);
                var sets = zone.Records.ToList();
                sets.Sort(Route53State.Compare);
                var startIndex = 0;
                if (query.TryGetValue("name", out var startName))
                {
                    Route53Validation.CheckName(startName);
                    var probe = new RecordSetModel { Name = Route53State.NormalizeName(startName), Type = query.GetValueOrDefault("type") ?? string.Empty, SetIdentifier = query.GetValueOrDefault("identifier") };
                    startIndex = sets.FindIndex(s => Route53State.Compare(s, probe) >= 0);
                    if (startIndex < 0)
                    {
                        startIndex = sets.Count;
                    }
                }
                else if (query.ContainsKey("type"))
                {
                    throw new AwsErrorException("InvalidInput", "The input is not valid: type is specified without name");
                }

                var max = Route53Validation.MaxItems(query, 300, pageSize);
                var page = sets.Skip(startIndex).Take(max).ToList();
                var truncated = startIndex + page.Count < sets.Count;
                var next = truncated ? sets[startIndex + page.Count] : null;
                return Ok(E(
                    "ListResourceRecordSetsResponse",
                    E("ResourceRecordSets", page.Select(RecordSet)),
                    E("IsTruncated", truncated ? "true" : "false"),
                    next is null ? null : E("NextRecordName", next.Name),
                    next is null ? null : E("NextRecordType", next.Type),
                    next?.SetIdentifier is null ? null : E("NextRecordIdentifier", next.SetIdentifier),
                    E("MaxItems", max.ToString(CultureInfo.InvariantCulture))));
            }

            case "GetChange":
                return Ok(E("GetChangeResponse", ChangeInfo(state, state.Change(parts[1]))));

            default:
                throw new AwsErrorException("InvalidInput", $"The operation at {path} is not supported by this emulator.", 404);
        }
    }

    public static XElement Error(string code, string message, string requestId, int status) =>
        E("ErrorResponse", E("Error", E("Type", status >= 500 ? "Receiver" : "Sender"), E("Code", code), E("Message", message)), E("RequestId", requestId));

    private static Route53Response Ok(XElement body) => new(200, body);

    private static XElement RecordSet(RecordSetModel s)
    {
        // Route 53's member order: Name, Type, SetIdentifier, routing fields, TTL, ResourceRecords, AliasTarget …
        var routing = s.Extra.Where(e => e.Name.LocalName != "AliasTarget" && e.Name.LocalName != "HealthCheckId");
        return E(
            "ResourceRecordSet",
            E("Name", s.Name),
            E("Type", s.Type),
            s.SetIdentifier is null ? null : E("SetIdentifier", s.SetIdentifier),
            routing.Select(e => new XElement(e)),
            s.IsAlias ? null : E("TTL", s.Ttl.ToString(CultureInfo.InvariantCulture)),
            s.IsAlias ? null : E("ResourceRecords", s.Values.Select(v => E("ResourceRecord", E("Value", v)))),
            s.Extra.Where(e => e.Name.LocalName is "AliasTarget" or "HealthCheckId").Select(e => new XElement(e)));
    }

    private static XElement Zone(HostedZoneModel z) => E(
        "HostedZone",
        E("Id", "/hostedzone/" + z.Id),
        E("Name", z.Name),
        E("CallerReference", z.CallerReference),
        E("Config", z.Comment is null ? null : E("Comment", z.Comment), E("PrivateZone", z.Private ? "true" : "false")),
        E("ResourceRecordSetCount", z.Records.Count.ToString(CultureInfo.InvariantCulture)));

    private static XElement ChangeInfo(Route53State state, ChangeModel c) => E(
        "ChangeInfo",
        E("Id", "/change/" + c.Id),
        E("Status", state.Status(c)),
        E("SubmittedAt", c.SubmittedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
        c.Comment is null ? null : E("Comment", c.Comment));

    private static XElement Delegation(HostedZoneModel zone) => E("DelegationSet", E("NameServers", zone.NameServers.Select(n => E("NameServer", n))));

    private static XElement Vpc((string Region, string VpcId) v) => E("VPC", E("VPCRegion", v.Region), E("VPCId", v.VpcId));

    private static string? Value(XElement? parent, string name) => parent?.Element(Ns + name)?.Value;

    private static XElement E(string name, params object?[] content) => new(Ns + name, content);
}
