using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>What expressions compute: ADD and DELETE on numbers and sets, arithmetic, <c>contains</c>, <c>size</c>, ordering.</summary>
internal static class ExpressionFunctions
{
    public static void AddOrDelete(DocumentPath path, JsonNode? current, JsonNode? operand, JsonObject target, bool add)
    {
        var value = (JsonObject)operand!;
        var type = AttributeValues.TypeOf(value);
        var op = add ? "ADD" : "DELETE";
        if (type == "N" && add)
        {
            if (current is not null && AttributeValues.TypeOf(current) != "N")
            {
                throw DynamoDbException.Validation($"An operand in the update expression has an incorrect data type");
            }

            var sum = (current is null ? 0m : AttributeValues.ToDecimal(current)) + AttributeValues.ToDecimal(value);
            path.Set(target, AttributeValues.FromDecimal(sum));
            return;
        }

        if (type is not ("SS" or "NS" or "BS"))
        {
            throw DynamoDbException.Validation($"Invalid UpdateExpression: Incorrect operand type for operator or function; operator: {op}, operand type: {Describe(type)}");
        }

        if (current is not null && AttributeValues.TypeOf(current) != type)
        {
            throw DynamoDbException.Validation("An operand in the update expression has an incorrect data type");
        }

        var existing = current is null ? [] : AttributeValues.Strings(current[type]).ToList();
        var change = AttributeValues.Strings(value[type]).ToList();
        var result = add ? existing.Union(change, StringComparer.Ordinal).ToList() : existing.Except(change, StringComparer.Ordinal).ToList();
        if (result.Count == 0)
        {
            path.Remove(target);
        }
        else
        {
            path.Set(target, new JsonObject { [type] = new JsonArray([.. result.Select(s => (JsonNode)JsonValue.Create(s))]) });
        }
    }

    public static JsonObject Arithmetic(JsonNode? left, JsonNode? right, string sign)
    {
        if (left is null || right is null)
        {
            throw DynamoDbException.Validation("The provided expression refers to an attribute that does not exist in the item");
        }

        if (AttributeValues.TypeOf(left) != "N" || AttributeValues.TypeOf(right) != "N")
        {
            throw DynamoDbException.Validation($"An operand in the update expression has an incorrect data type");
        }

        var a = AttributeValues.ToDecimal(left);
        var b = AttributeValues.ToDecimal(right);
        return AttributeValues.FromDecimal(sign == "+" ? a + b : a - b);
    }

    public static bool Contains(JsonNode? container, JsonNode? operand)
    {
        if (container is not JsonObject c || operand is not JsonObject o)
        {
            return false;
        }

        var (type, inner) = c.First();
        return type switch
        {
            "S" when o["S"] is { } s => inner!.GetValue<string>().Contains(s.GetValue<string>(), StringComparison.Ordinal),
            "SS" or "BS" when o[type[..1]] is { } e => AttributeValues.Strings(inner).Contains(e.GetValue<string>(), StringComparer.Ordinal),
            "NS" when o["N"] is not null => AttributeValues.Strings(inner).Any(n => AttributeValues.Equal(new JsonObject { ["N"] = n }, o)),
            "L" => inner!.AsArray().Any(e => AttributeValues.Equal(e!, o)),
            _ => false,
        };
    }

    public static JsonObject Size(JsonObject value)
    {
        var (type, inner) = value.First();
        var size = type switch
        {
            "S" => inner!.GetValue<string>().Length,
            "B" => Convert.FromBase64String(inner!.GetValue<string>()).Length,
            "SS" or "NS" or "BS" or "L" => inner!.AsArray().Count,
            "M" => inner!.AsObject().Count,
            _ => throw DynamoDbException.Validation($"Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: {Describe(type)}"),
        };
        return AttributeValues.FromDecimal(size);
    }

    public static int? Ordered(JsonNode? a, JsonNode? b) => a is null || b is null ? null : AttributeValues.Compare(a, b);

    public static string Describe(string type) => type switch
    {
        "S" => "STRING",
        "N" => "NUMBER",
        "B" => "BINARY",
        "BOOL" => "BOOLEAN",
        "M" => "MAP",
        "L" => "LIST",
        _ => type,
    };
}
