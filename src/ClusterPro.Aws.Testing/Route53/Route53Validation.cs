using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>Route 53's checks of a change batch: the request's shape (<c>InvalidInput</c>) and record values (<c>InvalidChangeBatch</c>).</summary>
internal static class Route53Validation
{
    private static readonly string[] Types = ["SOA", "A", "TXT", "NS", "CNAME", "MX", "NAPTR", "PTR", "SRV", "SPF", "AAAA", "CAA", "DS", "TLSA", "SSHFP", "SVCB", "HTTPS"];
    private static readonly string[] RoutingPolicies = ["Weight", "Region", "GeoLocation", "Failover", "MultiValueAnswer", "GeoProximityLocation", "CidrRoutingConfig"];
    private static readonly string[] Actions = ["CREATE", "DELETE", "UPSERT"];

    /// <summary>Parses one <c>Change</c>, rejecting what Route 53 rejects before it looks at the zone.</summary>
    public static (string Action, RecordSetModel Set) Change(XElement change, int index, XNamespace ns)
    {
        var action = change.Element(ns + "Action")?.Value;
        if (action is null)
        {
            throw Invalid("Invalid XML ; cvc-complex-type.2.4.a: Invalid content was found starting with element 'ResourceRecordSet'. One of '{\"https://route53.amazonaws.com/doc/2013-04-01/\":Action}' is expected.");
        }

        if (!Actions.Contains(action))
        {
            throw Invalid(Enumeration(action, Actions));
        }

        var e = change.Element(ns + "ResourceRecordSet") ?? throw Invalid($"1 validation error detected: Value null at 'changeBatch.changes.{index}.member.resourceRecordSet' failed to satisfy constraint: Member must not be null");
        var name = e.Element(ns + "Name")?.Value ?? throw Invalid($"1 validation error detected: Value null at 'changeBatch.changes.{index}.member.resourceRecordSet.name' failed to satisfy constraint: Member must not be null");
        CheckName(name);
        var type = e.Element(ns + "Type")?.Value ?? throw Invalid($"1 validation error detected: Value null at 'changeBatch.changes.{index}.member.resourceRecordSet.type' failed to satisfy constraint: Member must not be null");
        if (!Types.Contains(type))
        {
            throw Invalid(Enumeration(type, Types));
        }

        var setIdentifier = e.Element(ns + "SetIdentifier")?.Value;
        var where = $"Change with [Action={action}, Name={name}, Type={type}, SetIdentifier={setIdentifier ?? "null"}]";
        var ttlText = e.Element(ns + "TTL")?.Value;
        long? ttl = null;
        if (ttlText is not null)
        {
            if (!long.TryParse(ttlText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
            {
                throw Invalid($"Invalid XML ; cvc-datatype-valid.1.2.1: '{ttlText}' is not a valid value for 'integer'.");
            }

            if (parsed is < 0 or > 2147483647)
            {
                throw Invalid($"1 validation error detected: Value '{parsed}' at 'changeBatch.changes.{index}.member.resourceRecordSet.tTL' failed to satisfy constraint: Member must have value {(parsed < 0 ? "greater than or equal to 0" : "less than or equal to 2147483647")}");
            }

            ttl = parsed;
        }

        var records = e.Element(ns + "ResourceRecords");
        var alias = e.Element(ns + "AliasTarget");
        var plain = ttl is not null && records is not null;
        if (alias is null && !plain)
        {
            throw Invalid($"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in {where}");
        }

        if (alias is not null && (ttl is not null || records is not null))
        {
            throw Invalid($"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found more than one in {where}");
        }

        var policies = RoutingPolicies.Count(p => e.Element(ns + p) is not null);
        if (setIdentifier is not null && policies != 1)
        {
            throw Invalid($"Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found {(policies == 0 ? "none" : "more than one")} in {where}");
        }

        if (setIdentifier is null && policies > 0)
        {
            throw Invalid($"Invalid request: Missing field 'SetIdentifier' in {where}");
        }

        var values = records?.Elements(ns + "ResourceRecord").Select(r => r.Element(ns + "Value")?.Value ?? string.Empty).ToList() ?? [];
        if (records is not null && values.Count == 0)
        {
            throw Invalid($"1 validation error detected: Value '[]' at 'changeBatch.changes.{index}.member.resourceRecordSet.resourceRecords' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        var extra = e.Elements().Where(x => x.Name.LocalName is not ("Name" or "Type" or "TTL" or "ResourceRecords" or "SetIdentifier")).Select(x => new XElement(x)).ToList();
        return (action, new RecordSetModel { Name = name, Type = type, Ttl = ttl ?? 0, Values = values, SetIdentifier = setIdentifier, Extra = extra });
    }

    /// <summary>Record values Route 53 refuses (answered in the batch's <c>InvalidChangeBatch</c>).</summary>
    public static IEnumerable<string> Values(RecordSetModel set)
    {
        foreach (var value in set.Values)
        {
            if (set.Type == "A" && !(IPAddress.TryParse(value, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && value.Count(c => c == '.') == 3))
            {
                yield return $"Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '{value}''";
            }
            else if (set.Type == "AAAA" && !(IPAddress.TryParse(value, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6))
            {
                yield return $"Invalid Resource Record: 'FATAL problem: AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address) encountered with '{value}''";
            }
        }
    }

    /// <summary>A domain name as Route 53 takes it: printable ASCII without spaces (other characters as <c>\ooo</c> escapes), at most 1024 characters.</summary>
    public static void CheckName(string name)
    {
        if (name.Length is 0 or > 1024 || name.Any(c => c <= ' ' || c > '~'))
        {
            throw Invalid($"Invalid request: DNS name '{name}' contains characters that must be escaped (\\ooo) or is not a valid name.");
        }
    }

    /// <summary>A list's <c>maxitems</c>: its default when absent, the operation's ceiling when larger (as Route 53 answers), the emulator's page size when smaller.</summary>
    /// <summary>A hosted zone's name: a valid domain name, not empty, labels of at most 63 characters.</summary>
    public static void CheckZoneName(string name)
    {
        CheckName(name);
        var labels = name.TrimEnd('.').Split('.');
        if (name.Trim('.').Length == 0 || labels.Any(l => l.Length is 0 or > 63) || name.TrimEnd('.').Length > 253)
        {
            throw new AwsErrorException("InvalidDomainName", $"{name} is not a valid domain name.");
        }
    }

    /// <summary>Route 53's XML schema refusal of a value outside an enumeration.</summary>
    public static string Enumeration(string value, IEnumerable<string> allowed) =>
        $"Invalid XML ; cvc-enumeration-valid: Value '{value}' is not facet-valid with respect to enumeration '[{string.Join(", ", allowed)}]'. It must be a value from the enumeration.";

    public static int MaxItems(IReadOnlyDictionary<string, string> query, int max, int? pageSize, int? byDefault = null)
    {
        var items = byDefault ?? max;
        if (query.TryGetValue("maxitems", out var text))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out items) || items < 1)
            {
                throw Invalid($"1 validation error detected: Value '{text}' at 'maxItems' failed to satisfy constraint: Member must be a positive integer");
            }

            items = Math.Min(items, max);
        }

        return pageSize is { } page ? Math.Min(items, page) : items;
    }

    private static AwsErrorException Invalid(string message) => new("InvalidInput", message);
}
