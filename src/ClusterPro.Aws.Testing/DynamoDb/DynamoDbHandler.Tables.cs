using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>Tables: CreateTable (with indexes, streams, encryption, tags), DeleteTable, ListTables, and their description.</summary>
internal static partial class DynamoDbHandler
{
    private const int MaxGlobalIndexes = 20;
    private const int MaxLocalIndexes = 5;

    private static JsonObject CreateTable(JsonObject request, DynamoDbState state, DateTimeOffset now, Func<string> newId)
    {
        var name = TableName(request);
        var keySchema = request["KeySchema"] as JsonArray ?? throw Missing("keySchema");
        var definitions = request["AttributeDefinitions"] as JsonArray ?? throw Missing("attributeDefinitions");
        var (hash, range) = KeySchemaOf(keySchema, "keySchema");
        var types = AttributeDefinitions(definitions);
        var billing = request["BillingMode"]?.GetValue<string>() ?? "PROVISIONED";
        if (billing is not ("PAY_PER_REQUEST" or "PROVISIONED"))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{billing}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        }

        var (read, write) = Throughput(request["ProvisionedThroughput"] as JsonObject, billing, null);
        var arn = $"arn:{Partition(state.Region)}:dynamodb:{state.Region}:{Ec2.Ec2Handler.OwnerId}:table/{name}";
        var table = new DynamoDbTable
        {
            Name = name,
            TableId = newId(),
            Arn = arn,
            HashKey = hash,
            RangeKey = range,
            AttributeTypes = types,
            BillingMode = billing,
            ReadCapacityUnits = read,
            WriteCapacityUnits = write,
            CreatedAt = now,
            DeletionProtection = request["DeletionProtectionEnabled"]?.GetValue<bool>() ?? false,
            TableClass = TableClass(request) ?? "STANDARD",
        };

        var globals = request["GlobalSecondaryIndexes"] as JsonArray ?? [];
        var locals = request["LocalSecondaryIndexes"] as JsonArray ?? [];
        if (globals.Count > MaxGlobalIndexes || locals.Count > MaxLocalIndexes)
        {
            throw DynamoDbException.Validation(globals.Count > MaxGlobalIndexes
                ? $"One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of {MaxGlobalIndexes}"
                : $"One or more parameter values were invalid: LocalSecondaryIndex count exceeds the per-table limit of {MaxLocalIndexes}");
        }

        table.GlobalIndexes.AddRange(globals.Select(g => Index(g as JsonObject, table, global: true)));
        table.LocalIndexes.AddRange(locals.Select(l => Index(l as JsonObject, table, global: false)));
        if (table.Indexes.GroupBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Duplicate index name: {duplicate.Key}");
        }

        CheckDefinitionsUsed(table, types);
        ApplyStream(table, request["StreamSpecification"] as JsonObject, now, creating: true);
        ApplySse(table, request["SSESpecification"] as JsonObject, state.Region);
        foreach (var (key, value) in Tags(request["Tags"]))
        {
            table.Tags[key] = value;
        }

        if (state.Tables.ContainsKey(name))
        {
            throw new DynamoDbException("ResourceInUseException", $"Table already exists: {name}");
        }

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
            throw DynamoDbException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value {(limit < 1 ? "greater than or equal to 1" : "less than or equal to 100")}");
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

    /// <summary>A key schema: one HASH element, then at most one RANGE element.</summary>
    private static (string Hash, string? Range) KeySchemaOf(JsonArray keySchema, string member)
    {
        if (keySchema.Count is < 1 or > 2)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{keySchema.ToJsonString()}' at '{member}' failed to satisfy constraint: Member must have length {(keySchema.Count < 1 ? "greater than or equal to 1" : "less than or equal to 2")}");
        }

        var keys = keySchema.Select(k => (Name: k?["AttributeName"]?.GetValue<string>() ?? throw Missing($"{member}.member.attributeName"), Type: k["KeyType"]?.GetValue<string>())).ToList();
        if (keys[0].Type != "HASH" || (keys.Count == 2 && keys[1].Type != "RANGE"))
        {
            throw DynamoDbException.Validation(keys[0].Type != "HASH"
                ? "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
                : "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }

        if (keys.Count == 2 && keys[0].Name == keys[1].Name)
        {
            throw DynamoDbException.Validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }

        return (keys[0].Name, keys.Count == 2 ? keys[1].Name : null);
    }

    private static Dictionary<string, string> AttributeDefinitions(JsonArray definitions)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var d in definitions)
        {
            i++;
            var attribute = d?["AttributeName"]?.GetValue<string>() ?? throw Missing("attributeDefinitions.member.attributeName");
            var type = d["AttributeType"]?.GetValue<string>();
            if (type is not ("S" or "N" or "B"))
            {
                throw DynamoDbException.Validation($"1 validation error detected: Value '{type}' at 'attributeDefinitions.{i}.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]");
            }

            if (!types.TryAdd(attribute, type))
            {
                throw DynamoDbException.Validation($"Cannot have two attributes with the same name. Attribute name: {attribute}");
            }
        }

        return types;
    }

    /// <summary>Every key attribute of the table and its indexes is defined, and every definition is such a key, as DynamoDB demands.</summary>
    private static void CheckDefinitionsUsed(DynamoDbTable table, Dictionary<string, string> types)
    {
        var used = table.KeyNames.Concat(table.Indexes.SelectMany(i => i.KeyNames)).Distinct(StringComparer.Ordinal).ToList();
        if (!table.Indexes.Any() && (types.Count != used.Count || used.Any(k => !types.ContainsKey(k))))
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
        }

        if (used.Where(k => !types.ContainsKey(k)).ToList() is { Count: > 0 } undefined)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [{string.Join(", ", undefined)}], AttributeDefinitions: [{string.Join(", ", types.Keys)}]");
        }

        if (types.Keys.Any(k => !used.Contains(k)))
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [{string.Join(", ", types.Keys)}], keys used: [{string.Join(", ", used)}]");
        }
    }

    /// <summary>A global or local secondary index from its definition, checked as CreateTable / UpdateTable check it.</summary>
    private static SecondaryIndex Index(JsonObject? definition, DynamoDbTable table, bool global)
    {
        var kind = global ? "globalSecondaryIndexes" : "localSecondaryIndexes";
        var name = definition?["IndexName"]?.GetValue<string>() ?? throw Missing($"{kind}.member.indexName");
        CheckName(name, $"{kind}.member.indexName");
        var (hash, range) = KeySchemaOf(definition!["KeySchema"] as JsonArray ?? throw Missing($"{kind}.member.keySchema"), $"{kind}.member.keySchema");
        var projection = definition["Projection"] as JsonObject ?? throw Missing($"{kind}.member.projection");
        var type = projection["ProjectionType"]?.GetValue<string>() ?? "ALL";
        if (type is not ("ALL" or "KEYS_ONLY" or "INCLUDE"))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{type}' at '{kind}.1.member.projection.projectionType' failed to satisfy constraint: Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]");
        }

        var nonKey = (projection["NonKeyAttributes"] as JsonArray)?.Select(a => a!.GetValue<string>()).ToList() ?? [];
        if (type != "INCLUDE" && nonKey.Count > 0)
        {
            throw DynamoDbException.Validation($"One or more parameter values were invalid: ProjectionType is {type}, but NonKeyAttributes is specified");
        }

        if (type == "INCLUDE" && nonKey.Count == 0)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: NonKeyAttributes must not be empty when ProjectionType is INCLUDE");
        }

        if (!global && table.RangeKey is null)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
        }

        if (!global && (hash != table.HashKey || range is null))
        {
            throw DynamoDbException.Validation(range is null
                ? $"One or more parameter values were invalid: Index KeySchema does not have a range key for index: {name}"
                : $"One or more parameter values were invalid: Index KeySchema hash key must be the table's hash key for local secondary index: {name}");
        }

        var (read, write) = global ? Throughput(definition["ProvisionedThroughput"] as JsonObject, table.BillingMode, name) : (0, 0);
        return new SecondaryIndex
        {
            Name = name,
            Arn = $"{table.Arn}/index/{name}",
            Global = global,
            HashKey = hash,
            RangeKey = range,
            ProjectionType = type,
            NonKeyAttributes = nonKey,
            ReadCapacityUnits = read,
            WriteCapacityUnits = write,
        };
    }

    /// <summary>Provisioned throughput as the billing mode demands it (required for PROVISIONED, refused for PAY_PER_REQUEST).</summary>
    private static (long Read, long Write) Throughput(JsonObject? throughput, string billing, string? index)
    {
        if (billing == "PAY_PER_REQUEST")
        {
            return throughput is null
                ? (0, 0)
                : throw DynamoDbException.Validation(index is null
                    ? "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
                    : $"One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: {index} when BillingMode is PAY_PER_REQUEST");
        }

        if (throughput is null)
        {
            throw DynamoDbException.Validation(index is null
                ? "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"
                : $"One or more parameter values were invalid: ProvisionedThroughput must be specified for index: {index}");
        }

        var read = throughput["ReadCapacityUnits"]?.GetValue<long>() ?? 0;
        var write = throughput["WriteCapacityUnits"]?.GetValue<long>() ?? 0;
        if (read < 1 || write < 1)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{Math.Min(read, write)}' at '{(index is null ? string.Empty : "globalSecondaryIndexes.1.member.")}provisionedThroughput.{(read < 1 ? "readCapacityUnits" : "writeCapacityUnits")}' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }

        return (read, write);
    }

    private static string? TableClass(JsonObject request)
    {
        var value = request["TableClass"]?.GetValue<string>();
        return value is null or "STANDARD" or "STANDARD_INFREQUENT_ACCESS"
            ? value
            : throw DynamoDbException.Validation($"1 validation error detected: Value '{value}' at 'tableClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]");
    }
}
