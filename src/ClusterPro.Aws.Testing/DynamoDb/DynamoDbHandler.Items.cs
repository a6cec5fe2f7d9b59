using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>Single items: GetItem, PutItem, UpdateItem, DeleteItem.</summary>
internal static partial class DynamoDbHandler
{
    private static JsonObject GetItem(JsonObject request, DynamoDbState state)
    {
        var table = state.ItemTable(TableName(request));
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
            result["Item"] = projection is null ? item.DeepClone() : DocumentProjection.Project(item, projection);
        }

        Capacity(request, table, result, request["ConsistentRead"]?.GetValue<bool>() == true ? 1.0 : 0.5);
        return result;
    }

    private static JsonObject PutItem(JsonObject request, DynamoDbState state)
    {
        var table = state.ItemTable(TableName(request));
        var raw = request["Item"] as JsonObject ?? throw Missing("item");
        var item = new JsonObject();
        foreach (var (k, v) in raw)
        {
            item[k] = AttributeValues.Validate(v, k);
        }

        var key = ItemKey(table, item);
        CheckIndexKeys(table, item);
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
        var table = state.ItemTable(TableName(request));
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
        CheckIndexKeys(table, updated);
        CheckSize(updated);
        table.Items[key] = updated;
        var paths = plan?.Paths ?? [];

        // UPDATED_OLD / UPDATED_NEW answer the updated paths only, nested as in the item (SET a.c answers a.c, not all of a).
        JsonObject? attributes = returnValues switch
        {
            "ALL_OLD" => old,
            "ALL_NEW" => updated,
            "UPDATED_OLD" => old is null ? null : DocumentProjection.Project(old, paths),
            "UPDATED_NEW" => DocumentProjection.Project(updated, paths),
            _ => null,
        };
        var result = new JsonObject();
        if (attributes is { Count: > 0 })
        {
            result["Attributes"] = attributes.DeepClone();
        }

        Capacity(request, table, result, 1.0);
        return result;
    }

    private static JsonObject DeleteItem(JsonObject request, DynamoDbState state)
    {
        var table = state.ItemTable(TableName(request));
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

    /// <summary>An item's values for the indexes' key attributes must have the type the table defines, and not be empty.</summary>
    private static void CheckIndexKeys(DynamoDbTable table, JsonObject item)
    {
        foreach (var index in table.Indexes)
        {
            foreach (var name in index.KeyNames.Where(item.ContainsKey))
            {
                var actual = AttributeValues.TypeOf(item[name]!);
                if (actual != table.AttributeTypes[name])
                {
                    throw DynamoDbException.Validation($"One or more parameter values were invalid: Type mismatch for Index Key {name} Expected: {table.AttributeTypes[name]} Actual: {actual} IndexName: {index.Name}");
                }

                if (item[name]![actual]!.GetValue<string>().Length == 0)
                {
                    throw DynamoDbException.Validation($"One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty {(actual == "S" ? "string" : "binary")} value. IndexName: {index.Name}, IndexKey: {name}");
                }
            }
        }
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
}
