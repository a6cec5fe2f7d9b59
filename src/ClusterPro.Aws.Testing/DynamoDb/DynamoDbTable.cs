using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>One table: its key schema and items (keyed by the canonical form of their primary key).</summary>
internal sealed class DynamoDbTable
{
    public required string Name { get; init; }

    public required string TableId { get; init; }

    public required string Arn { get; init; }

    public required string HashKey { get; init; }

    public string? RangeKey { get; init; }

    /// <summary>Attribute name → <c>S</c>, <c>N</c> or <c>B</c>.</summary>
    public required Dictionary<string, string> AttributeTypes { get; init; }

    public required string BillingMode { get; init; }

    public long ReadCapacityUnits { get; init; }

    public long WriteCapacityUnits { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public bool DeletionProtection { get; init; }

    public Dictionary<string, JsonObject> Items { get; } = new(StringComparer.Ordinal);

    public IEnumerable<string> KeyNames => RangeKey is null ? [HashKey] : [HashKey, RangeKey];
}
