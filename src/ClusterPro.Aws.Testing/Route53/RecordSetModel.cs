namespace ClusterPro.Aws.Testing.Route53;

/// <summary>A record set: name, type, TTL, values, and its routing and alias fields as sent.</summary>
internal sealed class RecordSetModel
{
    public required string Name { get; init; }

    public required string Type { get; init; }

    public long Ttl { get; set; }

    public List<string> Values { get; init; } = [];

    /// <summary>Weighted, latency, failover, geolocation and multivalue sets are told apart by this.</summary>
    public string? SetIdentifier { get; init; }

    /// <summary>Routing and alias fields (Weight, Region, Failover, MultiValueAnswer, HealthCheckId, AliasTarget …) as sent, in order.</summary>
    public List<System.Xml.Linq.XElement> Extra { get; init; } = [];

    public bool IsAlias => Extra.Any(e => e.Name.LocalName == "AliasTarget");

    public RecordSetModel Clone() => new() { Name = Name, Type = Type, Ttl = Ttl, Values = [.. Values], SetIdentifier = SetIdentifier, Extra = [.. Extra.Select(e => new System.Xml.Linq.XElement(e))] };

    public bool SameIdentity(RecordSetModel other) => Name == other.Name && Type == other.Type && SetIdentifier == other.SetIdentifier;

    public bool SameAs(RecordSetModel other) =>
        Ttl == other.Ttl && Values.Order(StringComparer.Ordinal).SequenceEqual(other.Values.Order(StringComparer.Ordinal), StringComparer.Ordinal) &&
        string.Concat(Extra.Select(e => e.ToString(System.Xml.Linq.SaveOptions.DisableFormatting))) == string.Concat(other.Extra.Select(e => e.ToString(System.Xml.Linq.SaveOptions.DisableFormatting)));
}
