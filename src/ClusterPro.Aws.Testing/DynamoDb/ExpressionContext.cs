using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>A request's <c>ExpressionAttributeNames</c> and <c>ExpressionAttributeValues</c>, and which of them the expressions used.</summary>
internal sealed class ExpressionContext
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedValues = new(StringComparer.Ordinal);

    public ExpressionContext(JsonObject request)
    {
        if (request["ExpressionAttributeNames"] is JsonObject names)
        {
            foreach (var (k, v) in names)
            {
                _names[k] = v?.GetValue<string>() ?? throw DynamoDbException.Validation($"ExpressionAttributeNames contains invalid value: null for key {k}");
            }
        }

        if (request["ExpressionAttributeValues"] is JsonObject values)
        {
            if (values.Count == 0)
            {
                throw DynamoDbException.Validation("ExpressionAttributeValues must not be empty");
            }

            foreach (var (k, v) in values)
            {
                if (!k.StartsWith(':'))
                {
                    throw DynamoDbException.Validation($"ExpressionAttributeValues contains invalid key: Syntax error; key: \"{k}\"");
                }

                _values[k] = AttributeValues.Validate(v, $"ExpressionAttributeValues {k}");
            }
        }

        if (request["ExpressionAttributeNames"] is JsonObject { Count: 0 })
        {
            throw DynamoDbException.Validation("ExpressionAttributeNames must not be empty");
        }
    }

    public string Name(string alias, string expressionKind)
    {
        if (!_names.TryGetValue(alias, out var name))
        {
            throw DynamoDbException.Validation($"Invalid {expressionKind}: An expression attribute name used in the document path is not defined; attribute name: {alias}");
        }

        _usedNames.Add(alias);
        return name;
    }

    public JsonObject Value(string reference, string expressionKind)
    {
        if (!_values.TryGetValue(reference, out var value))
        {
            throw DynamoDbException.Validation($"Invalid {expressionKind}: An expression attribute value used in expression is not defined; attribute value: {reference}");
        }

        _usedValues.Add(reference);
        return value;
    }

    /// <summary>Rejects names and values that no expression used, as DynamoDB does.</summary>
    public void CheckAllUsed()
    {
        var unusedValues = _values.Keys.Where(k => !_usedValues.Contains(k)).ToList();
        if (unusedValues.Count > 0)
        {
            throw DynamoDbException.Validation($"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{string.Join(", ", unusedValues)}}}");
        }

        var unusedNames = _names.Keys.Where(k => !_usedNames.Contains(k)).ToList();
        if (unusedNames.Count > 0)
        {
            throw DynamoDbException.Validation($"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{string.Join(", ", unusedNames)}}}");
        }
    }
}
