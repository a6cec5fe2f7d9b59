using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>A global or local secondary index: its key, projection and (global ones) throughput.</summary>
internal sealed class SecondaryIndex
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public required bool Global { get; init; }

    public required string HashKey { get; init; }

    public string? RangeKey { get; init; }

    /// <summary><c>ALL</c>, <c>KEYS_ONLY</c> or <c>INCLUDE</c>.</summary>
    public required string ProjectionType { get; init; }

    public IReadOnlyList<string> NonKeyAttributes { get; init; } = [];

    public long ReadCapacityUnits { get; set; }

    public long WriteCapacityUnits { get; set; }

    public IEnumerable<string> KeyNames => RangeKey is null ? [HashKey] : [HashKey, RangeKey];

    /// <summary>Whether an item appears in the index (it carries every key attribute of the index: indexes are sparse).</summary>
    public bool Holds(JsonObject item) => KeyNames.All(item.ContainsKey);

    /// <summary>The item as the index holds it: its projected attributes, with the table's and the index's keys.</summary>
    public JsonObject Project(JsonObject item, DynamoDbTable table)
    {
        if (ProjectionType == "ALL")
        {
            return (JsonObject)item.DeepClone();
        }

        var keep = table.KeyNames.Concat(KeyNames).Concat(ProjectionType == "INCLUDE" ? NonKeyAttributes : []).ToHashSet(StringComparer.Ordinal);
        var result = new JsonObject();
        foreach (var (name, value) in item.Where(kv => keep.Contains(kv.Key)))
        {
            result[name] = value!.DeepClone();
        }

        return result;
    }
}
