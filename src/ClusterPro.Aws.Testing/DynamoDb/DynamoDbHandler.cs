using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>
/// DynamoDB's JSON 1.0 API (<c>X-Amz-Target: DynamoDB_20120810.&lt;Operation&gt;</c>) for tables and single items:
/// CreateTable, DescribeTable, DeleteTable, ListTables, GetItem, PutItem, UpdateItem, DeleteItem, with condition and
/// update expressions and AWS's validation and errors. Conditional writes are atomic (the emulator's state lock).
/// </summary>
internal static partial class DynamoDbHandler
{
    public const string TargetPrefix = "DynamoDB_20120810.";
    public const string ContentType = "application/x-amz-json-1.0";
    private const int MaxItemSize = 400 * 1024;

    private static readonly string[] LegacyParameters = ["Expected", "AttributeUpdates", "ConditionalOperator", "AttributesToGet"];

    public static readonly IReadOnlySet<string> Operations = new HashSet<string>(StringComparer.Ordinal)
    {
        "CreateTable", "DescribeTable", "DeleteTable", "ListTables", "GetItem", "PutItem", "UpdateItem", "DeleteItem",
    };

    public static JsonObject Handle(string operation, JsonObject request, DynamoDbState state, DateTimeOffset now, Func<string> newId)
    {
        foreach (var legacy in LegacyParameters.Where(request.ContainsKey))
        {
            throw DynamoDbException.Validation($"The legacy parameter {legacy} is not served by this emulator; use the expression parameters (ConditionExpression, UpdateExpression, ProjectionExpression).");
        }

        return operation switch
        {
            "CreateTable" => CreateTable(request, state, state.Region, now, newId),
            "DescribeTable" => new JsonObject { ["Table"] = Describe(state.Table(TableName(request)), "ACTIVE") },
            "DeleteTable" => DeleteTable(request, state),
            "ListTables" => ListTables(request, state),
            "GetItem" => GetItem(request, state),
            "PutItem" => PutItem(request, state),
            "UpdateItem" => UpdateItem(request, state),
            "DeleteItem" => DeleteItem(request, state),
            _ => throw new DynamoDbException("UnknownOperationException", string.Empty),
        };
    }

    private static JsonObject CreateTable(JsonObject request, DynamoDbState state, string region, DateTimeOffset now, Func<string> newId)
    {
        var name = TableName(request);
        var keySchema = request["KeySchema"] as JsonArray ?? throw Missing("keySchema");
        var definitions = request["AttributeDefinitions"] as JsonArray ?? throw Missing("attributeDefinitions");
        if (keySchema.Count is < 1 or > 2)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{keySchema.ToJsonString()}' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2");
        }

        var keys = keySchema.Select(k => (Name: k?["AttributeName"]?.GetValue<string>() ?? throw Missing("keySchema.member.attributeName"), Type: k["KeyType"]?.GetValue<string>())).ToList();
        if (keys[0].Type != "HASH" || (keys.Count == 2 && keys[1].Type != "RANGE"))
        {
            throw DynamoDbException.Validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in definitions)
        {
            var attribute = d?["AttributeName"]?.GetValue<string>() ?? throw Missing("attributeDefinitions.member.attributeName");
            var type = d["AttributeType"]?.GetValue<string>();
            if (type is not ("S" or "N" or "B"))
            {
                throw DynamoDbException.Validation($"1 validation error detected: Value '{type}' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
            }

            types[attribute] = type;
        }

        if (types.Count != keys.Count || keys.Any(k => !types.ContainsKey(k.Name)))
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }

        var billing = request["BillingMode"]?.GetValue<string>() ?? "PROVISIONED";
        var throughput = request["ProvisionedThroughput"] as JsonObject;
        if (billing == "PAY_PER_REQUEST" && throughput is not null)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
        }

        if (billing == "PROVISIONED" && throughput is null)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        }

        if (billing is not ("PAY_PER_REQUEST" or "PROVISIONED"))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{billing}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        }

        if (state.Tables.ContainsKey(name))
        {
            throw new DynamoDbException("ResourceInUseException", $"Table already exists: {name}");
        }

        var table = new DynamoDbTable
        {
            Name = name,
            TableId = newId(),
            Arn = $"arn:{Partition(region)}:dynamodb:{region}:{Ec2.Ec2Handler.OwnerId}:table/{name}",
            HashKey = keys[0].Name,
            RangeKey = keys.Count == 2 ? keys[1].Name : null,
            AttributeTypes = types,
            BillingMode = billing,
            ReadCapacityUnits = throughput?["ReadCapacityUnits"]?.GetValue<long>() ?? 0,
            WriteCapacityUnits = throughput?["WriteCapacityUnits"]?.GetValue<long>() ?? 0,
            CreatedAt = now,
            DeletionProtection = request["DeletionProtectionEnabled"]?.GetValue<bool>() ?? false,
        };
        state.Tables[name] = table;
        return new JsonObject { ["TableDescription"] = Describe(table, "ACTIVE") };
    }

    private static JsonObject DeleteTable(JsonObject request, DynamoDbState state)
    {
        var table = state.Table(TableName(request));
        if (table.DeletionProtection)
        {
            throw DynamoDbException.Validation($"Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.");
        }

        state.Tables.Remove(table.Name);
        return new JsonObject { ["TableDescription"] = Describe(table, "DELETING") };
    }

    private static JsonObject ListTables(JsonObject request, DynamoDbState state)
    {
        var limit = request["Limit"]?.GetValue<int>() ?? 100;
        if (limit is < 1 or > 100)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100");
        }

        var start = request["ExclusiveStartTableName"]?.GetValue<string>();
        var names = state.Tables.Keys.Order(StringComparer.Ordinal).Where(n => start is null || string.CompareOrdinal(n, start) > 0).ToList();
        var page = names.Take(limit).ToList();
        var result = new JsonObject { ["TableNames"] = new JsonArray([.. page.Select(n => (JsonNode)JsonValue.Create(n))]) };
        if (names.Count > page.Count)
        {
            result["LastEvaluatedTableName"] = page[^1];
        }

        return result;
    }

    private static JsonObject GetItem(JsonObject request, DynamoDbState state)
    {
        var table = state.Table(TableName(request));
        var key = Key(table, request["Key"]);
        if (request["ConsistentRead"] is { } consistent && consistent.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            throw new DynamoDbException("SerializationException", "ConsistentRead must be a boolean");
        }

        var context = new ExpressionContext(request);
        var projection = request["ProjectionExpression"]?.GetValue<string>() is { } p ? ExpressionParser.Projection(p, context) : null;
        context.CheckAllUsed();
        var result = new JsonObject();
        if (table.Items.TryGetValue(key, out var item))
        {
            result["Item"] = projection is null ? item.DeepClone() : Project(item, projection);
        }

        Capacity(request, table, result, request["ConsistentRead"]?.GetValue<bool>() == true ? 1.0 : 0.5);
        return result;
    }

    private static JsonObject PutItem(JsonObject request, DynamoDbState state)
    {
        var table = state.Table(TableName(request));
        var raw = request["Item"] as JsonObject ?? throw Missing("item");
        var item = new JsonObject();
        foreach (var (k, v) in raw)
        {
            item[k] = AttributeValues.Validate(v, k);
        }

        var key = ItemKey(table, item);
        var returnValues = ReturnValues(request, "NONE", "ALL_OLD");
        var condition = Condition(request);
        CheckSize(item);
        table.Items.TryGetValue(key, out var old);
        CheckCondition(request, condition, old);
        table.Items[key] = item;
        var result = new JsonObject();
        if (returnValues == "ALL_OLD" && old is not null)
        {
            result["Attributes"] = old.DeepClone();
        }

        Capacity(request, table, result, 1.0);
        return result;
    }

    private static JsonObject UpdateItem(JsonObject request, DynamoDbState state)
    {
        var table = state.Table(TableName(request));
        var keyObject = request["Key"];
        var key = Key(table, keyObject);
        var returnValues = ReturnValues(request, "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
        var context = new ExpressionContext(request);
        var plan = request["UpdateExpression"]?.GetValue<string>() is { } u ? ExpressionParser.Update(u, context) : null;
        var condition = request["ConditionExpression"]?.GetValue<string>() is { } c ? ExpressionParser.Condition(c, context) : null;
        context.CheckAllUsed();
        foreach (var keyName in table.KeyNames.Where(k => plan?.Paths.Any(p => p.Top == k) == true))
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Cannot update attribute {keyName}. This attribute is part of the key");
        }

        table.Items.TryGetValue(key, out var old);
        CheckCondition(request, condition, old);
        var start = old ?? KeyItem(table, (JsonObject)keyObject!);
        var updated = plan?.Apply(start) ?? (JsonObject)start.DeepClone();
        CheckSize(updated);
        table.Items[key] = updated;
        var touched = plan?.Paths.Select(p => p.Top).ToHashSet(StringComparer.Ordinal) ?? [];
        var result = new JsonObject();
        JsonObject? attributes = returnValues switch
        {
            "ALL_OLD" => old,
            "ALL_NEW" => updated,
            "UPDATED_OLD" => old is null ? null : Only(old, touched),
            "UPDATED_NEW" => Only(updated, touched),
            _ => null,
        };
        if (attributes is { Count: > 0 })
        {
            result["Attributes"] = attributes.DeepClone();
        }

        Capacity(request, table, result, 1.0);
        return result;
    }

    private static JsonObject DeleteItem(JsonObject request, DynamoDbState state)
    {
        var table = state.Table(TableName(request));
        var key = Key(table, request["Key"]);
        var returnValues = ReturnValues(request, "NONE", "ALL_OLD");
        var condition = Condition(request);
        table.Items.TryGetValue(key, out var old);
        CheckCondition(request, condition, old);
        table.Items.Remove(key);
        var result = new JsonObject();
        if (returnValues == "ALL_OLD" && old is not null)
        {
            result["Attributes"] = old.DeepClone();
        }

        Capacity(request, table, result, 1.0);
        return result;
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

    /// <summary>The canonical key of a <c>Key</c> parameter (exactly the table's key attributes).</summary>
    private static string Key(DynamoDbTable table, JsonNode? keyNode)
    {
        var key = keyNode as JsonObject ?? throw Missing("key");
        if (key.Count != table.KeyNames.Count() || table.KeyNames.Any(k => !key.ContainsKey(k)))
        {
            throw DynamoDbException.Validation("The provided key element does not match the schema");
        }

        var validated = new JsonObject();
        foreach (var (k, v) in key)
        {
            validated[k] = AttributeValues.Validate(v, k);
        }

        foreach (var k in table.KeyNames)
        {
            if (AttributeValues.TypeOf(validated[k]!) != table.AttributeTypes[k])
            {
                throw DynamoDbException.Validation("The provided key element does not match the schema");
            }
        }

        return Canonical(table, validated);
    }

    private static string ItemKey(DynamoDbTable table, JsonObject item)
    {
        foreach (var k in table.KeyNames)
        {
            if (!item.TryGetPropertyValue(k, out var v) || v is null)
            {
                throw DynamoDbException.Validation($"One or more parameter values were invalid: Missing the key {k} in the item");
            }

            var actual = AttributeValues.TypeOf(v);
            if (actual != table.AttributeTypes[k])
            {
                throw DynamoDbException.Validation($"One or more parameter values were invalid: Type mismatch for key {k} expected: {table.AttributeTypes[k]} actual: {actual}");
            }
        }

        return Canonical(table, item);
    }

    private static string Canonical(DynamoDbTable table, JsonObject item)
    {
        var parts = new List<string>();
        foreach (var k in table.KeyNames)
        {
            var value = item[k]![table.AttributeTypes[k]]!.GetValue<string>();
            if (value.Length == 0)
            {
                throw DynamoDbException.Validation($"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty {(table.AttributeTypes[k] == "S" ? "string" : "binary")} value. Key: {k}");
            }

            parts.Add(table.AttributeTypes[k] + ":" + value);
        }

        return string.Join('\u0001', parts);
    }

    private static JsonObject KeyItem(DynamoDbTable table, JsonObject key)
    {
        var item = new JsonObject();
        foreach (var k in table.KeyNames)
        {
            item[k] = AttributeValues.Validate(key[k], k);
        }

        return item;
    }

    private static JsonObject Only(JsonObject item, HashSet<string> names)
    {
        var result = new JsonObject();
        foreach (var (k, v) in item.Where(kv => names.Contains(kv.Key)))
        {
            result[k] = v!.DeepClone();
        }

        return result;
    }

    private static JsonObject Project(JsonObject item, List<DocumentPath> paths)
    {
        var result = new JsonObject();
        foreach (var path in paths)
        {
            if (path.Get(item) is { } value && !result.ContainsKey(path.Top))
            {
                result[path.Top] = path.Segments.Count == 1 ? value.DeepClone() : item[path.Top]!.DeepClone();
            }
        }

        return result;
    }

    private static JsonObject Describe(DynamoDbTable table, string status)
    {
        var count = table.Items.Count;
        var description = new JsonObject
        {
            ["AttributeDefinitions"] = new JsonArray([.. table.AttributeTypes.Select(kv => (JsonNode)new JsonObject { ["AttributeName"] = kv.Key, ["AttributeType"] = kv.Value })]),
            ["TableName"] = table.Name,
            ["KeySchema"] = new JsonArray([.. table.KeyNames.Select((k, i) => (JsonNode)new JsonObject { ["AttributeName"] = k, ["KeyType"] = i == 0 ? "HASH" : "RANGE" })]),
            ["TableStatus"] = status,
            ["CreationDateTime"] = table.CreatedAt.ToUnixTimeMilliseconds() / 1000.0,
            ["ProvisionedThroughput"] = new JsonObject { ["NumberOfDecreasesToday"] = 0, ["ReadCapacityUnits"] = table.ReadCapacityUnits, ["WriteCapacityUnits"] = table.WriteCapacityUnits },
            ["TableSizeBytes"] = table.Items.Values.Sum(i => (long)AttributeValues.Size(i)),
            ["ItemCount"] = count,
            ["TableArn"] = table.Arn,
            ["TableId"] = table.TableId,
            ["DeletionProtectionEnabled"] = table.DeletionProtection,
        };
        if (table.BillingMode == "PAY_PER_REQUEST")
        {
            description["BillingModeSummary"] = new JsonObject { ["BillingMode"] = "PAY_PER_REQUEST", ["LastUpdateToPayPerRequestDateTime"] = table.CreatedAt.ToUnixTimeMilliseconds() / 1000.0 };
        }

        return description;
    }

    private static string TableName(JsonObject request)
    {
        var name = request["TableName"]?.GetValue<string>() ?? throw Missing("tableName");
        if (name.Length is < 3 or > 255)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: Member must have length {(name.Length < 3 ? "greater than or equal to 3" : "less than or equal to 255")}");
        }

        if (!TableNamePattern().IsMatch(name))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }

        return name;
    }

    private static DynamoDbException Missing(string member) =>
        DynamoDbException.Validation($"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    private static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn" : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    [GeneratedRegex("^[a-zA-Z0-9_.-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TableNamePattern();
}
