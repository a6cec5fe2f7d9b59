using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>One table: its key schema, indexes, settings and items (keyed by the canonical form of their primary key).</summary>
internal sealed class DynamoDbTable
{
    public required string Name { get; init; }

    public required string TableId { get; init; }

    public required string Arn { get; init; }

    public required string HashKey { get; init; }

    public string? RangeKey { get; init; }

    /// <summary>Attribute name → <c>S</c>, <c>N</c> or <c>B</c>, for the keys of the table and its indexes.</summary>
    public required Dictionary<string, string> AttributeTypes { get; init; }

    public required string BillingMode { get; set; }

    public long ReadCapacityUnits { get; set; }

    public long WriteCapacityUnits { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? BillingModeChangedAt { get; set; }

    public bool DeletionProtection { get; set; }

    public string TableClass { get; set; } = "STANDARD";

    /// <summary>The stream's view type while a stream is enabled, else null.</summary>
    public string? StreamViewType { get; set; }

    /// <summary>The latest stream's label (a timestamp), kept after the stream is disabled, as DynamoDB does.</summary>
    public string? StreamLabel { get; set; }

    /// <summary>The KMS key of server-side encryption with a KMS key; null for encryption with an AWS-owned key (the default).</summary>
    public string? SseKmsKeyArn { get; set; }

    /// <summary>The TTL attribute while TTL is enabled, else null.</summary>
    public string? TtlAttribute { get; set; }

    public List<SecondaryIndex> GlobalIndexes { get; } = [];

    public List<SecondaryIndex> LocalIndexes { get; } = [];

    public IEnumerable<SecondaryIndex> Indexes => GlobalIndexes.Concat(LocalIndexes);

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, JsonObject> Items { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> KeyNames => RangeKey is null ? [HashKey] : [HashKey, RangeKey];
}
