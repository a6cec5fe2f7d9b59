using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>
/// A parsed update expression: actions evaluated against the item as it was, applied to a copy. Removals apply last,
/// each to the element its path named in that copy, so <c>REMOVE a[0], a[1]</c> removes the first two elements, as on
/// DynamoDB, not one element after another as the list shifts.
/// </summary>
internal sealed class UpdatePlan
{
    private readonly List<Action<JsonObject, JsonObject>> _actions = [];
    private readonly List<DocumentPath> _removals = [];

    public List<DocumentPath> Paths { get; } = [];

    public void Add(DocumentPath path, Action<JsonObject, JsonObject> action)
    {
        Register(path);
        _actions.Add(action);
    }

    public void AddRemoval(DocumentPath path)
    {
        Register(path);
        _removals.Add(path);
    }

    /// <summary>The item after the update (the original is not changed).</summary>
    public JsonObject Apply(JsonObject original)
    {
        var target = (JsonObject)original.DeepClone();
        foreach (var action in _actions)
        {
            action(original, target);
        }

        var located = _removals.Select(p => p.Locate(target)).Where(l => l.Container is not null).ToList();
        foreach (var (container, key) in located)
        {
            if (container is JsonObject map)
            {
                map.Remove((string)key);
            }
        }

        var lists = located.Where(l => l.Container is JsonArray).Select(l => (Array: (JsonArray)l.Container!, Index: (int)l.Key));
        foreach (var list in lists.GroupBy(l => l.Array, ReferenceEqualityComparer.Instance))
        {
            var array = (JsonArray)list.Key!;
            foreach (var index in list.Select(l => l.Index).Distinct().OrderDescending().Where(i => i < array.Count))
            {
                array.RemoveAt(index);
            }
        }

        return target;
    }

    private void Register(DocumentPath path)
    {
        var overlap = Paths.FirstOrDefault(p => p.Overlaps(path));
        if (overlap is not null)
        {
            throw DynamoDbException.Validation($"Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [{overlap}], path two: [{path}]");
        }

        Paths.Add(path);
    }
}
