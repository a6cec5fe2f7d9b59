using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>A parsed update expression: actions evaluated against the item as it was, applied to a copy.</summary>
internal sealed class UpdatePlan
{
    private readonly List<Action<JsonObject, JsonObject>> _actions = [];

    public List<DocumentPath> Paths { get; } = [];

    public void Add(DocumentPath path, Action<JsonObject, JsonObject> action)
    {
        var overlap = Paths.FirstOrDefault(p => p.Overlaps(path));
        if (overlap is not null)
        {
            throw DynamoDbException.Validation($"Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [{overlap}], path two: [{path}]");
        }

        Paths.Add(path);
        _actions.Add(action);
    }

    /// <summary>The item after the update (the original is not changed).</summary>
    public JsonObject Apply(JsonObject original)
    {
        var target = (JsonObject)original.DeepClone();
        foreach (var action in _actions)
        {
            action(original, target);
        }

        return target;
    }
}
