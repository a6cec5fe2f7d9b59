namespace ClusterPro.Aws.Testing.Route53;

/// <summary>A hosted zone: its records as the API sees them and as the name servers answer.</summary>
internal sealed class HostedZoneModel
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string CallerReference { get; init; }

    public bool Private { get; init; }

    public string? Comment { get; set; }

    public List<(string Region, string VpcId)> Vpcs { get; } = [];

    /// <summary>The four name servers of the zone's delegation set.</summary>
    public List<string> NameServers { get; init; } = [];

    /// <summary>The record sets as the API sees them (changes apply at once).</summary>
    public List<RecordSetModel> Records { get; } = [];

    /// <summary>The record sets as the name servers answer (changes apply once INSYNC).</summary>
    public List<RecordSetModel> Published { get; } = [];

    public Queue<PendingBatch> Pending { get; } = new();
}
