using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>
/// What a projection (or <c>UPDATED_OLD</c> / <c>UPDATED_NEW</c>) answers: only the named paths, nested as in the item —
/// <c>a.b</c> gives <c>{a: {M: {b}}}</c>, <c>c[1], c[3]</c> gives <c>{c: {L: [c1, c3]}}</c> — never whole maps or lists.
/// </summary>
internal static class DocumentProjection
{
    public static JsonObject Project(JsonObject item, IEnumerable<DocumentPath> paths)
    {
        var root = new Node();
        foreach (var path in paths)
        {
            if (path.Get(item) is not { } value)
            {
                continue;
            }

            var node = root;
            foreach (var segment in path.Segments)
            {
                node = node.Child(segment);
            }

            node.Value = value;
        }

        var result = new JsonObject();
        foreach (var (name, child) in root.Names)
        {
            result[name] = child.Build();
        }

        return result;
    }

    /// <summary>Refuses paths of which one is a prefix of another, as DynamoDB does.</summary>
    public static void CheckOverlaps(List<DocumentPath> paths, string kind)
    {
        for (var i = 0; i < paths.Count; i++)
        {
            for (var j = i + 1; j < paths.Count; j++)
            {
                if (paths[i].Overlaps(paths[j]))
                {
                    throw DynamoDbException.Validation($"Invalid {kind}: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [{paths[i]}], path two: [{paths[j]}]");
                }
            }
        }
    }

    private sealed class Node
    {
        public JsonNode? Value { get; set; }

        public SortedDictionary<string, Node> Names { get; } = new(StringComparer.Ordinal);

        public SortedDictionary<int, Node> Indexes { get; } = [];

        public Node Child(object segment)
        {
            if (segment is string name)
            {
                if (!Names.TryGetValue(name, out var child))
                {
                    Names[name] = child = new Node();
                }

                return child;
            }

            var index = (int)segment;
            if (!Indexes.TryGetValue(index, out var element))
            {
                Indexes[index] = element = new Node();
            }

            return element;
        }

        public JsonNode Build()
        {
            if (Value is not null)
            {
                return Value.DeepClone();
            }

            return Names.Count > 0
                ? new JsonObject { ["M"] = new JsonObject(Names.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value.Build()))) }
                : new JsonObject { ["L"] = new JsonArray([.. Indexes.Values.Select(n => n.Build())]) };
        }
    }
}
