using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>One condition of a key condition: an attribute, <c>=</c> <c>&lt;</c> <c>&lt;=</c> <c>&gt;</c> <c>&gt;=</c> <c>BETWEEN</c> or <c>begins_with</c>, and its values.</summary>
internal sealed record KeyConditionPart(string Attribute, string Operator, JsonObject Value, JsonObject? Upper = null)
{
    /// <summary>Whether an item's value of the attribute satisfies the condition.</summary>
    public bool Matches(JsonObject item)
    {
        if (!item.TryGetPropertyValue(Attribute, out var actual) || actual is null)
        {
            return false;
        }

        var order = AttributeValues.Compare(actual, Value);
        return Operator switch
        {
            "=" => order == 0,
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            ">=" => order >= 0,
            "BETWEEN" => order >= 0 && AttributeValues.Compare(actual, Upper!) <= 0,
            _ => (actual, Value) switch
            {
                (JsonObject a, JsonObject p) when a["S"] is { } s && p["S"] is { } ps => s.GetValue<string>().StartsWith(ps.GetValue<string>(), StringComparison.Ordinal),
                (JsonObject a, JsonObject p) when a["B"] is { } b && p["B"] is { } pb => Convert.FromBase64String(b.GetValue<string>()).AsSpan().StartsWith(Convert.FromBase64String(pb.GetValue<string>())),
                _ => false,
            },
        };
    }
}
