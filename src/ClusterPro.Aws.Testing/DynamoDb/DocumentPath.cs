using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>A document path (<c>a</c>, <c>a.b</c>, <c>a[0].b</c>) with its names resolved; reads and writes items.</summary>
internal sealed class DocumentPath(IReadOnlyList<object> segments, string text)
{
    /// <summary>Names (string) and list indexes (int).</summary>
    public IReadOnlyList<object> Segments { get; } = segments;

    /// <summary>The top-level attribute name.</summary>
    public string Top => (string)Segments[0];

    public override string ToString() => text;

    public JsonNode? Get(JsonObject item)
    {
        JsonNode? current = item.TryGetPropertyValue(Top, out var top) ? top : null;
        foreach (var segment in Segments.Skip(1))
        {
            current = segment switch
            {
                string name when (current?["M"]) is JsonObject map => map.TryGetPropertyValue(name, out var v) ? v : null,
                int index when (current?["L"]) is JsonArray list => index < list.Count ? list[index] : null,
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }

    public void Set(JsonObject item, JsonObject value)
    {
        if (Segments.Count == 1)
        {
            item[Top] = value;
            return;
        }

        var (parent, last) = Parent(item);
        switch (last)
        {
            case string name when (parent?["M"]) is JsonObject map:
                map[name] = value;
                return;
            case int index when (parent?["L"]) is JsonArray list:
                if (index < list.Count)
                {
                    list[index] = value;
                }
                else
                {
                    list.Add(value);
                }

                return;
            default:
                throw DynamoDbException.Validation("The document path provided in the update expression is invalid for update");
        }
    }

    public void Remove(JsonObject item)
    {
        if (Segments.Count == 1)
        {
            item.Remove(Top);
            return;
        }

        var (parent, last) = Parent(item);
        switch (last)
        {
            case string name when (parent?["M"]) is JsonObject map:
                map.Remove(name);
                return;
            case int index when (parent?["L"]) is JsonArray list:
                if (index < list.Count)
                {
                    list.RemoveAt(index);
                }

                return;
            case string or int when parent is null:
                return;
            default:
                throw DynamoDbException.Validation("The document path provided in the update expression is invalid for update");
        }
    }

    /// <summary>
    /// Where a removal of this path applies: the item or map (<see cref="JsonObject"/>) and name, or the list
    /// (<see cref="JsonArray"/>) and index; no container when the parent is absent (nothing to remove).
    /// </summary>
    public (JsonNode? Container, object Key) Locate(JsonObject item)
    {
        if (Segments.Count == 1)
        {
            return (item, Top);
        }

        var (parent, last) = Parent(item);
        return last switch
        {
            string name when (parent?["M"]) is JsonObject map => (map, name),
            int index when (parent?["L"]) is JsonArray list => (list, index),
            _ when parent is null => (null, last),
            _ => throw DynamoDbException.Validation("The document path provided in the update expression is invalid for update"),
        };
    }

    /// <summary>Whether one path is a prefix of the other (DynamoDB rejects overlapping paths in one update).</summary>
    public bool Overlaps(DocumentPath other)
    {
        var n = Math.Min(Segments.Count, other.Segments.Count);
        return Segments.Take(n).SequenceEqual(other.Segments.Take(n));
    }

    private (JsonNode? Parent, object Last) Parent(JsonObject item)
    {
        var parentPath = new DocumentPath([.. Segments.Take(Segments.Count - 1)], text);
        return (parentPath.Get(item), Segments[^1]);
    }
}
