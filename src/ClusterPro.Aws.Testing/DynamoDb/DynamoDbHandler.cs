using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>
/// DynamoDB's JSON 1.0 API (<c>X-Amz-Target: DynamoDB_20120810.&lt;Operation&gt;</c>): tables with their indexes, TTL,
/// streams and encryption settings and tags; single items with condition and update expressions; Query and Scan.
/// AWS's validation and errors; conditional writes are atomic (the emulator's state lock). Partial files by concern.
/// </summary>
internal static partial class DynamoDbHandler
{
    public const string TargetPrefix = "DynamoDB_20120810.";
    public const string ContentType = "application/x-amz-json-1.0";
    private const int MaxItemSize = 400 * 1024;

    private static readonly string[] LegacyParameters = ["Expected", "AttributeUpdates", "ConditionalOperator", "AttributesToGet", "KeyConditions", "QueryFilter", "ScanFilter"];

    private static readonly Dictionary<string, Func<JsonObject, DynamoDbState, DateTimeOffset, Func<string>, JsonObject>> Actions = new(StringComparer.Ordinal)
    {
        ["CreateTable"] = CreateTable,
        ["DescribeTable"] = (r, s, _, _) => new JsonObject { ["Table"] = Describe(s.Table(TableName(r)), "ACTIVE") },
        ["UpdateTable"] = UpdateTable,
        ["DeleteTable"] = (r, s, _, _) => DeleteTable(r, s),
        ["ListTables"] = (r, s, _, _) => ListTables(r, s),
        ["UpdateTimeToLive"] = (r, s, _, _) => UpdateTimeToLive(r, s),
        ["DescribeTimeToLive"] = (r, s, _, _) => DescribeTimeToLive(r, s),
        ["TagResource"] = (r, s, _, _) => TagResource(r, s),
        ["UntagResource"] = (r, s, _, _) => UntagResource(r, s),
        ["ListTagsOfResource"] = (r, s, _, _) => ListTagsOfResource(r, s),
        ["GetItem"] = (r, s, _, _) => GetItem(r, s),
        ["PutItem"] = (r, s, _, _) => PutItem(r, s),
        ["UpdateItem"] = (r, s, _, _) => UpdateItem(r, s),
        ["DeleteItem"] = (r, s, _, _) => DeleteItem(r, s),
        ["Query"] = (r, s, _, _) => Query(r, s),
        ["Scan"] = (r, s, _, _) => Scan(r, s),
    };

    public static readonly IReadOnlySet<string> Operations = new HashSet<string>(Actions.Keys, StringComparer.Ordinal);

    public static JsonObject Handle(string operation, JsonObject request, DynamoDbState state, DateTimeOffset now, Func<string> newId)
    {
        foreach (var legacy in LegacyParameters.Where(request.ContainsKey))
        {
            throw DynamoDbException.Validation($"The legacy parameter {legacy} is not served by this emulator; use the expression parameters (ConditionExpression, UpdateExpression, ProjectionExpression, KeyConditionExpression, FilterExpression).");
        }

        return Actions.TryGetValue(operation, out var action)
            ? action(request, state, now, newId)
            : throw new DynamoDbException("UnknownOperationException", string.Empty);
    }

    private static Func<JsonObject, bool>? Condition(JsonObject request)
    {
        var context = new ExpressionContext(request);
        var condition = request["ConditionExpression"]?.GetValue<string>() is { } c ? ExpressionParser.Condition(c, context) : null;
        context.CheckAllUsed();
        return condition;
    }

    private static void CheckCondition(JsonObject request, Func<JsonObject, bool>? condition, JsonObject? old)
    {
        if (condition is null || condition(old ?? []))
        {
            return;
        }

        var onFailure = request["ReturnValuesOnConditionCheckFailure"]?.GetValue<string>() ?? "NONE";
        if (onFailure is not ("NONE" or "ALL_OLD"))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{onFailure}' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]");
        }

        throw new DynamoDbException("ConditionalCheckFailedException", "The conditional request failed", 400, onFailure == "ALL_OLD" ? (JsonObject?)old?.DeepClone() : null);
    }

    private static string ReturnValues(JsonObject request, params string[] allowed)
    {
        var value = request["ReturnValues"]?.GetValue<string>() ?? "NONE";
        if (!allowed.Contains(value))
        {
            throw DynamoDbException.Validation(allowed.Length == 2
                ? "Return values set to invalid value"
                : $"1 validation error detected: Value '{value}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }

        return value;
    }

    private static void Capacity(JsonObject request, DynamoDbTable table, JsonObject result, double units)
    {
        if (request["ReturnConsumedCapacity"]?.GetValue<string>() is "TOTAL" or "INDEXES")
        {
            result["ConsumedCapacity"] = new JsonObject { ["TableName"] = table.Name, ["CapacityUnits"] = units };
        }
    }

    private static void CheckSize(JsonObject item)
    {
        if (AttributeValues.Size(item) > MaxItemSize)
        {
            throw DynamoDbException.Validation("Item size has exceeded the maximum allowed size");
        }
    }

    private static string TableName(JsonObject request)
    {
        var name = request["TableName"]?.GetValue<string>() ?? throw Missing("tableName");
        CheckName(name, "tableName");
        return name;
    }

    private static void CheckName(string name, string member)
    {
        if (name.Length is < 3 or > 255)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must have length {(name.Length < 3 ? "greater than or equal to 3" : "less than or equal to 255")}");
        }

        if (!TableNamePattern().IsMatch(name))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
    }

    private static DynamoDbException Missing(string member) =>
        DynamoDbException.Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    private static string Partition(string region) => Regions.AwsRegions.Partition(region);

    [GeneratedRegex("^[a-zA-Z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TableNamePattern();
}
