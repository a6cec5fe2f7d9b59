using System.Globalization;
using System.Xml.Linq;
using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>Hosted zones.</summary>
internal static partial class Route53Handler
{
    private static Route53Response CreateHostedZone(XElement? root, Route53State state)
    {
        var name = Value(root, "Name") ?? throw new AwsErrorException("InvalidInput", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
        var caller = Value(root, "CallerReference") ?? throw new AwsErrorException("InvalidInput", "1 validation error detected: Value null at 'callerReference' failed to satisfy constraint: Member must not be null");
        Route53Validation.CheckZoneName(name);
        Bounded(root, "CallerReference", "callerReference", 128);
        var vpc = root?.Element(Ns + "VPC");
        var config = root?.Element(Ns + "HostedZoneConfig");
        var comment = Bounded(config, "Comment", "hostedZoneConfig.comment", 256);
        if (Value(root, "DelegationSetId") is { } delegationSet)
        {
            // Reusable delegation sets are not served, so no ID names one.
            throw new AwsErrorException("NoSuchDelegationSet", $"A reusable delegation set with the specified ID does not exist: {delegationSet}");
        }

        var isPrivate = string.Equals(Value(config, "PrivateZone"), "true", StringComparison.OrdinalIgnoreCase);
        var (zone, change) = state.CreateHostedZone(name, caller, isPrivate, comment, Value(vpc, "VPCRegion"), Value(vpc, "VPCId"));
        return new Route53Response(201, E("CreateHostedZoneResponse", Zone(zone), ChangeInfo(state, change), Delegation(zone), zone.Vpcs.Select(Vpc).FirstOrDefault()), $"https://route53.amazonaws.com/2013-04-01/hostedzone/{zone.Id}");
    }

    private static Route53Response GetHostedZone(HostedZoneModel zone) =>
        Ok(E("GetHostedZoneResponse", Zone(zone), zone.Private ? null : Delegation(zone), zone.Private ? E("VPCs", zone.Vpcs.Select(Vpc)) : null));

    private static Route53Response UpdateHostedZoneComment(string id, XElement? root, Route53State state)
    {
        var zone = state.Zone(id);
        zone.Comment = Bounded(root, "Comment", "comment", 256);
        return Ok(E("UpdateHostedZoneCommentResponse", Zone(zone)));
    }

    private static Route53Response ListHostedZonesByName(IReadOnlyDictionary<string, string> query, Route53State state, int? pageSize)
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

    private static Route53Response ListHostedZones(IReadOnlyDictionary<string, string> query, Route53State state, int? pageSize)
    {
        if (query.ContainsKey("delegationsetid"))
        {
            throw new AwsErrorException("NoSuchDelegationSet", $"A reusable delegation set with the specified ID does not exist: {query["delegationsetid"]}");
        }

        var zones = state.Zones.Values.OrderBy(z => Route53State.Reverse(z.Name), StringComparer.Ordinal).ToList();
        var max = Route53Validation.MaxItems(query, 100, pageSize);
        var start = query.TryGetValue("marker", out var marker) ? zones.FindIndex(z => z.Id == marker) : 0;
        if (start < 0)
        {
            throw new AwsErrorException("InvalidInput", $"The specified marker is not valid: {marker}");
        }

        var page = zones.Skip(start).Take(max).ToList();
        var truncated = start + page.Count < zones.Count;
        return Ok(E(
            "ListHostedZonesResponse",
            E("HostedZones", page.Select(Zone)),
            marker is null ? null : E("Marker", marker),
            E("IsTruncated", truncated ? "true" : "false"),
            truncated ? E("NextMarker", zones[start + page.Count].Id) : null,
            E("MaxItems", max.ToString(CultureInfo.InvariantCulture))));
    }

    private static Route53Response AssociateVpc(string id, XElement? root, Route53State state)
    {
        var vpc = root?.Element(Ns + "VPC");
        var change = state.AssociateVpc(id, Value(vpc, "VPCRegion") ?? "us-east-1", Value(vpc, "VPCId") ?? throw new AwsErrorException("InvalidInput", "VPCId is required."));
        return Ok(E("AssociateVPCWithHostedZoneResponse", ChangeInfo(state, change)));
    }

    private static XElement Delegation(HostedZoneModel zone) => E("DelegationSet", E("NameServers", zone.NameServers.Select(n => E("NameServer", n))));

    private static XElement Vpc((string Region, string VpcId) v) => E("VPC", E("VPCRegion", v.Region), E("VPCId", v.VpcId));
}
