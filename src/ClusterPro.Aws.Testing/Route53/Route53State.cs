using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>Route 53's global state and operations, with AWS's validation. Callers hold the emulator's state lock.</summary>
internal sealed partial class Route53State(IdGenerator ids, TimeProvider time, Func<TimeSpan> propagationDelay)
{
    private static readonly string[] NameServerDomains = ["com", "net", "org", "co.uk"];

    public Dictionary<string, HostedZoneModel> Zones { get; } = [];

    public Dictionary<string, ChangeModel> Changes { get; } = [];

    public void Clear()
    {
        Zones.Clear();
        Changes.Clear();
        HealthChecks.Clear();
        Tags.Clear();
    }

    public static string NormalizeName(string name)
    {
        var n = name.Trim().ToLowerInvariant().Replace("\\052", "*", StringComparison.Ordinal);
        return n.EndsWith('.') ? n : n + ".";
    }

    public static string ZoneIdOf(string id) => id.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal);

    public HostedZoneModel Zone(string id) =>
        Zones.TryGetValue(ZoneIdOf(id), out var z) ? z : throw new AwsErrorException("NoSuchHostedZone", $"No hosted zone found with ID: {ZoneIdOf(id)}", 404);

    public (HostedZoneModel Zone, ChangeModel Change) CreateHostedZone(string name, string callerReference, bool isPrivate, string? comment, string? vpcRegion, string? vpcId)
    {
        var normalized = NormalizeName(name);
        if (Zones.Values.Any(z => z.CallerReference == callerReference))
        {
            throw new AwsErrorException("HostedZoneAlreadyExists", $"A hosted zone has already been created with the specified caller reference.", 409);
        }

        var id = ids.Upper("Z", 20);
        var n = (id.Aggregate(0, (h, c) => (h * 31) + c) & 0x7fffffff) % 2000;
        var nameServers = NameServerDomains.Select((tld, i) => $"ns-{(n * 4) + i}.awsdns-{(n + i) % 64:00}.{tld}").ToList();
        var zone = new HostedZoneModel { Id = id, Name = normalized, CallerReference = callerReference, Private = isPrivate || vpcId is not null, Comment = comment, NameServers = nameServers };
        if (vpcId is not null)
        {
            zone.Vpcs.Add((vpcRegion ?? "us-east-1", vpcId));
        }

        var soa = new RecordSetModel { Name = normalized, Type = "SOA", Ttl = 900, Values = [$"{nameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"] };
        var ns = new RecordSetModel { Name = normalized, Type = "NS", Ttl = 172800, Values = [.. nameServers.Select(s => s + ".")] };
        zone.Records.AddRange([ns, soa]);
        zone.Published.AddRange([ns.Clone(), soa.Clone()]);
        Zones[zone.Id] = zone;
        return (zone, NewChange(comment));
    }

    public ChangeModel AssociateVpc(string zoneId, string region, string vpcId)
    {
        var zone = Zone(zoneId);
        if (!zone.Private)
        {
            throw new AwsErrorException("PublicZoneVPCAssociation", "Public hosted zones can't be associated with a VPC.");
        }

        if (zone.Vpcs.Contains((region, vpcId)))
        {
            throw new AwsErrorException("ConflictingDomainExists", $"The VPC {vpcId} in {region} region has already been associated with the hosted zone {zone.Id} with the same domain name.");
        }

        zone.Vpcs.Add((region, vpcId));
        return NewChange(null);
    }

    /// <summary>Validates the whole batch first (all or nothing, as Route 53 does), then applies it.</summary>
    public ChangeModel ChangeResourceRecordSets(string zoneId, IReadOnlyList<(string Action, RecordSetModel Set)> changes, string? comment)
    {
        var zone = Zone(zoneId);
        var working = zone.Records.Select(r => r.Clone()).ToList();
        var errors = new List<string>();
        var normalized = new List<(string Action, RecordSetModel Set)>();
        foreach (var (action, raw) in changes)
        {
            var set = new RecordSetModel { Name = NormalizeName(raw.Name), Type = raw.Type.ToUpperInvariant(), Ttl = raw.Ttl, Values = raw.Values, SetIdentifier = raw.SetIdentifier, Extra = raw.Extra };
            normalized.Add((action, set));
            if (!(set.Name == zone.Name || set.Name.EndsWith("." + zone.Name, StringComparison.Ordinal)))
            {
                errors.Add($"RRSet with DNS name {set.Name} is not permitted in zone {zone.Name}");
                continue;
            }

            var existing = working.FirstOrDefault(r => r.SameIdentity(set));
            var describe = set.SetIdentifier is null ? $"[name='{set.Name}', type='{set.Type}']" : $"[name='{set.Name}', type='{set.Type}', set-identifier='{set.SetIdentifier}']";
            if (action is "CREATE" or "UPSERT" && working.FirstOrDefault(r => r.Name == set.Name && r.Type == set.Type && (r.SetIdentifier is null) != (set.SetIdentifier is null)) is { } other)
            {
                errors.Add(set.SetIdentifier is null
                    ? $"RRSet with DNS name {set.Name}, type {set.Type} cannot be created as other RRSets exist with the same name and type."
                    : $"RRSet with DNS name {set.Name}, type {set.Type}, SetIdentifier {set.SetIdentifier} cannot be created as a non-weighted set exists with the same name and type.");
                continue;
            }

            foreach (var problem in Route53Validation.Values(set))
            {
                errors.Add(problem);
            }

            switch (action)
            {
                case "CREATE" when existing is not null:
                    errors.Add($"Tried to create resource record set {describe} but it already exists");
                    break;
                case "CREATE":
                    working.Add(set.Clone());
                    break;
                case "DELETE" when existing is null:
                    errors.Add($"Tried to delete resource record set {describe} but it was not found");
                    break;
                case "DELETE" when !existing.SameAs(set):
                    errors.Add($"Tried to delete resource record set {describe} but the values provided do not match the current values");
                    break;
                case "DELETE":
                    working.Remove(existing);
                    break;
                case "UPSERT":
                    if (existing is not null)
                    {
                        working.Remove(existing);
                    }

                    working.Add(set.Clone());
                    break;
                default:
                    errors.Add($"Invalid action {action}");
                    break;
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidChangeBatchException(errors);
        }

        zone.Records.Clear();
        zone.Records.AddRange(working);
        var change = NewChange(comment);
        zone.Pending.Enqueue(new PendingBatch(change, normalized));
        Publish(zone);
        return change;
    }

    /// <summary>Applies a change behind the product's back: the API and the name servers see it at once.</summary>
    public void Drift(string zoneId, string name, string type, RecordSetModel? replacement)
    {
        var zone = Zone(zoneId);
        var n = NormalizeName(name);
        foreach (var list in new[] { zone.Records, zone.Published })
        {
            list.RemoveAll(r => r.Name == n && r.Type == type);
            if (replacement is not null)
            {
                list.Add(replacement.Clone());
            }
        }
    }

    public ChangeModel DeleteHostedZone(string zoneId)
    {
        var zone = Zone(zoneId);
        if (zone.Records.Any(r => !(r.Name == zone.Name && r.Type is "NS" or "SOA")))
        {
            throw new AwsErrorException("HostedZoneNotEmpty", "The specified hosted zone contains non-required resource record sets and so cannot be deleted.");
        }

        Zones.Remove(zone.Id);
        Tags.Remove("hostedzone/" + zone.Id);
        return NewChange(null);
    }

    public ChangeModel Change(string id)
    {
        var key = id.Replace("/change/", string.Empty, StringComparison.Ordinal);
        return Changes.TryGetValue(key, out var c) ? c : throw new AwsErrorException("NoSuchChange", $"A change with the specified change ID does not exist.", 404);
    }

    public string Status(ChangeModel change) => time.GetUtcNow() >= change.DueAt ? "INSYNC" : "PENDING";

    /// <summary>Moves every batch that is INSYNC by now into the name servers' view.</summary>
    public void Publish(HostedZoneModel zone)
    {
        var now = time.GetUtcNow();
        while (zone.Pending.TryPeek(out var batch) && now >= batch.Change.DueAt)
        {
            zone.Pending.Dequeue();
            foreach (var (action, set) in batch.Actions)
            {
                zone.Published.RemoveAll(r => r.SameIdentity(set));
                if (action != "DELETE")
                {
                    zone.Published.Add(set.Clone());
                }
            }
        }
    }

    /// <summary>Route 53's listing order: names compared label by label from the right, then type.</summary>
    public static int Compare(RecordSetModel a, RecordSetModel b)
    {
        var byName = string.CompareOrdinal(Reverse(a.Name), Reverse(b.Name));
        var byType = byName != 0 ? byName : string.CompareOrdinal(a.Type, b.Type);
        return byType != 0 ? byType : string.CompareOrdinal(a.SetIdentifier ?? string.Empty, b.SetIdentifier ?? string.Empty);
    }

    public static string Reverse(string name) => string.Join('.', name.TrimEnd('.').Split('.').Reverse());

    private ChangeModel NewChange(string? comment)
    {
        var now = time.GetUtcNow();
        var change = new ChangeModel(ids.Upper("C", 20), now, now + propagationDelay(), comment);
        Changes[change.Id] = change;
        return change;
    }
}
