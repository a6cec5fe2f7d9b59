using System.Globalization;
using System.Xml.Linq;
using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>Record sets and changes.</summary>
internal static partial class Route53Handler
{
    /// <summary>Route 53's limits on one request: ResourceRecord elements and characters of Value elements, an UPSERT's counted twice.</summary>
    private const int MaxRecordsPerRequest = 1000;
    private const int MaxValueCharactersPerRequest = 32000;

    private static Route53Response ChangeResourceRecordSets(string zoneId, XElement? root, Route53State state)
    {
        var batch = root?.Element(Ns + "ChangeBatch");
        var changes = batch?.Element(Ns + "Changes")?.Elements(Ns + "Change")
            .Select((c, i) => Route53Validation.Change(c, i + 1, Ns))
            .ToList() ?? [];
        if (changes.Count == 0)
        {
            throw new AwsErrorException("InvalidInput", "1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1");
        }

        var comment = Bounded(batch, "Comment", "changeBatch.comment", 256);
        var weight = (string action) => action == "UPSERT" ? 2 : 1;
        var records = changes.Sum(c => c.Set.Values.Count * weight(c.Action));
        var characters = changes.Sum(c => c.Set.Values.Sum(v => v.Length) * weight(c.Action));
        var limits = new List<string>();
        if (records > MaxRecordsPerRequest)
        {
            limits.Add($"Number of records limit of {MaxRecordsPerRequest} exceeded.");
        }

        if (characters > MaxValueCharactersPerRequest)
        {
            limits.Add($"Number of characters limit of {MaxValueCharactersPerRequest} exceeded.");
        }

        if (limits.Count > 0)
        {
            throw new InvalidChangeBatchException(limits);
        }

        state.Zone(zoneId);
        foreach (var healthCheck in changes.SelectMany(c => c.Set.Extra).Where(e => e.Name.LocalName == "HealthCheckId"))
        {
            state.HealthCheck(healthCheck.Value);
        }

        var change = state.ChangeResourceRecordSets(zoneId, changes, comment);
        return Ok(E("ChangeResourceRecordSetsResponse", ChangeInfo(state, change)));
    }

    private static Route53Response ListResourceRecordSets(string zoneId, IReadOnlyDictionary<string, string> query, Route53State state, int? pageSize)
    {
        var zone = state.Zone(zoneId);
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
}
