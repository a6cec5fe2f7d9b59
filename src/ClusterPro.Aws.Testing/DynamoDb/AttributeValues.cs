using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>DynamoDB attribute values as JSON (<c>{"S":"x"}</c>, <c>{"N":"1"}</c> …): validation, equality, ordering, numbers.</summary>
internal static class AttributeValues
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal) { "S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL" };

    /// <summary>The value's type tag (<c>S</c>, <c>N</c> …).</summary>
    public static string TypeOf(JsonNode value) => ((JsonObject)value).First().Key;

    /// <summary>Checks one attribute value (and what it holds) and returns it with numbers normalized.</summary>
    public static JsonObject Validate(JsonNode? node, string where)
    {
        if (node is not JsonObject value || value.Count == 0)
        {
            throw DynamoDbException.Validation($"Supplied AttributeValue is empty, must contain exactly one of the supported datatypes ({where})");
        }

        if (value.Count > 1)
        {
            throw DynamoDbException.Validation($"Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes ({where})");
        }

        var (type, inner) = value.First();
        if (!Types.Contains(type))
        {
            throw new DynamoDbException("SerializationException", $"Unexpected field type {type}");
        }

        switch (type)
        {
            case "S":
            case "B":
                return new JsonObject { [type] = Text(inner, type) };
            case "N":
                return new JsonObject { ["N"] = Number(Text(inner, type)) };
            case "BOOL":
                return inner is JsonValue b && b.TryGetValue<bool>(out var flag) ? new JsonObject { ["BOOL"] = flag } : throw new DynamoDbException("SerializationException", "BOOL must be true or false");
            case "NULL":
                return inner is JsonValue n && n.TryGetValue<bool>(out var isNull) && isNull
                    ? new JsonObject { ["NULL"] = true }
                    : throw DynamoDbException.Validation("One or more parameter values were invalid: Null attribute value types must have the value of true");
            case "SS":
            case "NS":
            case "BS":
            {
                var items = (inner as JsonArray ?? throw new DynamoDbException("SerializationException", $"{type} must be a list")).Select(i => Text(i, type)).ToList();
                if (items.Count == 0)
                {
                    throw DynamoDbException.Validation("One or more parameter values were invalid: An string set  may not be empty");
                }

                if (type == "NS")
                {
                    items = items.Select(Number).ToList();
                }

                if (items.Distinct(StringComparer.Ordinal).Count() != items.Count)
                {
                    throw DynamoDbException.Validation($"One or more parameter values were invalid: Input collection {Show(items)} contains duplicates.");
                }

                return new JsonObject { [type] = new JsonArray([.. items.Select(i => (JsonNode)JsonValue.Create(i))]) };
            }

            case "L":
                return new JsonObject { ["L"] = new JsonArray([.. (inner as JsonArray ?? throw new DynamoDbException("SerializationException", "L must be a list")).Select(i => (JsonNode)Validate(i, where))]) };
            default:
            {
                var map = inner as JsonObject ?? throw new DynamoDbException("SerializationException", "M must be a map");
                var result = new JsonObject();
                foreach (var (k, v) in map)
                {
                    result[k] = Validate(v, where);
                }

                return new JsonObject { ["M"] = result };
            }
        }
    }

    /// <summary>A number as DynamoDB stores it (no leading zeros, no trailing fractional zeros), or a <c>ValidationException</c>.</summary>
    public static string Number(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var big) && double.IsFinite(big))
            {
                return big.ToString("R", CultureInfo.InvariantCulture);
            }

            throw DynamoDbException.Validation($"The parameter cannot be converted to a numeric value: {text}");
        }

        return (d / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
    }

    public static decimal ToDecimal(JsonNode value) =>
        decimal.Parse(value["N"]!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static JsonObject FromDecimal(decimal d) => new() { ["N"] = Number(d.ToString(CultureInfo.InvariantCulture)) };

    /// <summary>Deep equality with DynamoDB's meaning (numbers by value, sets ignoring order).</summary>
    public static bool Equal(JsonNode a, JsonNode b)
    {
        var (ta, va) = ((JsonObject)a).First();
        var (tb, vb) = ((JsonObject)b).First();
        if (ta != tb)
        {
            return false;
        }

        return ta switch
        {
            "N" => Compare(a, b) == 0,
            "SS" or "BS" => Strings(va).Order(StringComparer.Ordinal).SequenceEqual(Strings(vb).Order(StringComparer.Ordinal), StringComparer.Ordinal),
            "NS" => Strings(va).Select(s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).Order().SequenceEqual(Strings(vb).Select(s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).Order()),
            "L" => va!.AsArray().Count == vb!.AsArray().Count && va.AsArray().Zip(vb.AsArray()).All(p => Equal(p.First!, p.Second!)),
            "M" => va!.AsObject().Count == vb!.AsObject().Count && va.AsObject().All(kv => vb.AsObject().TryGetPropertyValue(kv.Key, out var other) && other is not null && Equal(kv.Value!, other)),
            _ => JsonNode.DeepEquals(va, vb),
        };
    }

    /// <summary>Orders two scalars of the same type (S by UTF-8 bytes, N by value, B by bytes); null when they cannot be ordered.</summary>
    public static int? Compare(JsonNode a, JsonNode b)
    {
        var (ta, va) = ((JsonObject)a).First();
        var (tb, vb) = ((JsonObject)b).First();
        if (ta != tb)
        {
            return null;
        }

        return ta switch
        {
            "N" => decimal.TryParse(va!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && decimal.TryParse(vb!.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                ? x.CompareTo(y)
                : double.Parse(va!.GetValue<string>(), CultureInfo.InvariantCulture).CompareTo(double.Parse(vb!.GetValue<string>(), CultureInfo.InvariantCulture)),
            "S" => Encoding.UTF8.GetBytes(va!.GetValue<string>()).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(vb!.GetValue<string>())),
            "B" => Convert.FromBase64String(va!.GetValue<string>()).AsSpan().SequenceCompareTo(Convert.FromBase64String(vb!.GetValue<string>())),
            _ => null,
        };
    }

    public static IEnumerable<string> Strings(JsonNode? array) => array!.AsArray().Select(i => i!.GetValue<string>());

    /// <summary>An approximation of DynamoDB's item size: names plus values, in bytes.</summary>
    public static int Size(JsonObject item) => item.Sum(kv => Encoding.UTF8.GetByteCount(kv.Key) + Encoding.UTF8.GetByteCount(kv.Value!.ToJsonString()));

    private static string Text(JsonNode? node, string type) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new DynamoDbException("SerializationException", $"NUMBER_VALUE cannot be converted to String ({type})");

    private static string Show(IEnumerable<string> items) => "[" + string.Join(", ", items) + "]";
}
