using System.Globalization;
using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>UpdateTable, time to live, streams and encryption settings, tags.</summary>
internal static partial class DynamoDbHandler
{
    private static readonly string[] StreamViewTypes = ["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"];

    /// <summary>Validates every requested change first, then applies them all (an invalid request changes nothing).</summary>
    private static JsonObject UpdateTable(JsonObject request, DynamoDbState state, DateTimeOffset now, Func<string> newId)
    {
        var table = state.Table(TableName(request));
        if (request["ReplicaUpdates"] is not null)
        {
            throw DynamoDbException.Validation("ReplicaUpdates: global tables are not modelled by this emulator.");
        }

        var changes = new List<Action>();
        var billing = request["BillingMode"]?.GetValue<string>();
        var throughput = request["ProvisionedThroughput"] as JsonObject;
        if (billing is not null || throughput is not null)
        {
            var mode = billing ?? table.BillingMode;
            if (mode is not ("PAY_PER_REQUEST" or "PROVISIONED"))
            {
                throw DynamoDbException.Validation($"1 validation error detected: Value '{mode}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
            }

            var (read, write) = mode == "PROVISIONED" && throughput is null && table.BillingMode == "PROVISIONED"
                ? (table.ReadCapacityUnits, table.WriteCapacityUnits)
                : Throughput(throughput, mode, null);
            if (mode == table.BillingMode && mode == "PROVISIONED" && read == table.ReadCapacityUnits && write == table.WriteCapacityUnits)
            {
                throw DynamoDbException.Validation(
                    $"The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: {table.ReadCapacityUnits}. Requested ReadCapacityUnits: {read}. Current WriteCapacityUnits provisioned for the table: {table.WriteCapacityUnits}. Requested WriteCapacityUnits: {write}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
            }

            changes.Add(() =>
            {
                if (mode != table.BillingMode)
                {
                    table.BillingModeChangedAt = now;
                    foreach (var index in table.GlobalIndexes)
                    {
                        (index.ReadCapacityUnits, index.WriteCapacityUnits) = mode == "PROVISIONED" ? (read, write) : (0, 0);
                    }
                }

                table.BillingMode = mode;
                (table.ReadCapacityUnits, table.WriteCapacityUnits) = (read, write);
            });
        }

        if (request["GlobalSecondaryIndexUpdates"] is JsonArray updates)
        {
            changes.AddRange(IndexUpdates(request, table, updates));
        }

        if (request["StreamSpecification"] is JsonObject stream)
        {
            ApplyStream(Copy(table), stream, now, creating: false);
            changes.Add(() => ApplyStream(table, stream, now, creating: false));
        }

        if (request["SSESpecification"] is JsonObject sse)
        {
            ApplySse(Copy(table), sse, state.Region);
            changes.Add(() => ApplySse(table, sse, state.Region));
        }

        if (request["DeletionProtectionEnabled"]?.GetValue<bool>() is { } protection)
        {
            changes.Add(() => table.DeletionProtection = protection);
        }

        if (TableClass(request) is { } tableClass)
        {
            changes.Add(() => table.TableClass = tableClass);
        }

        if (changes.Count == 0)
        {
            throw DynamoDbException.Validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        }

        foreach (var change in changes)
        {
            change();
        }

        return new JsonObject { ["TableDescription"] = Describe(table, "ACTIVE") };
    }

    private static List<Action> IndexUpdates(JsonObject request, DynamoDbTable table, JsonArray updates)
    {
        var types = new Dictionary<string, string>(table.AttributeTypes, StringComparer.Ordinal);
        if (request["AttributeDefinitions"] is JsonArray definitions)
        {
            foreach (var (name, type) in AttributeDefinitions(definitions))
            {
                if (types.TryGetValue(name, out var existing) && existing != type)
                {
                    throw DynamoDbException.Validation($"Cannot change the type of attribute {name} from {existing} to {type}");
                }

                types[name] = type;
            }
        }

        if (updates.Count(u => u?["Create"] is not null || u?["Delete"] is not null) > 1)
        {
            throw new DynamoDbException("LimitExceededException", "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
        }

        var changes = new List<Action>();
        foreach (var update in updates.OfType<JsonObject>())
        {
            if (update["Create"] is JsonObject create)
            {
                var index = Index(create, table, global: true);
                if (table.Indexes.Any(i => i.Name == index.Name))
                {
                    throw DynamoDbException.Validation($"One or more parameter values were invalid: Index with name: {index.Name} already exists");
                }

                if (index.KeyNames.FirstOrDefault(k => !types.ContainsKey(k)) is { } undefined)
                {
                    throw DynamoDbException.Validation($"One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [{undefined}], AttributeDefinitions: [{string.Join(", ", types.Keys)}]");
                }

                changes.Add(() =>
                {
                    foreach (var (name, type) in types)
                    {
                        table.AttributeTypes[name] = type;
                    }

                    table.GlobalIndexes.Add(index);
                });
            }
            else if (update["Update"] is JsonObject change)
            {
                var index = GlobalIndex(table, change);
                var (read, write) = Throughput(change["ProvisionedThroughput"] as JsonObject, table.BillingMode, index.Name);
                changes.Add(() => (index.ReadCapacityUnits, index.WriteCapacityUnits) = (read, write));
            }
            else if (update["Delete"] is JsonObject delete)
            {
                var index = GlobalIndex(table, delete);
                changes.Add(() => table.GlobalIndexes.Remove(index));
            }
            else
            {
                throw DynamoDbException.Validation("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate's Create, Update or Delete must be specified");
            }
        }

        return changes;
    }

    private static SecondaryIndex GlobalIndex(DynamoDbTable table, JsonObject update)
    {
        var name = update["IndexName"]?.GetValue<string>() ?? throw Missing("globalSecondaryIndexUpdates.member.indexName");
        return table.GlobalIndexes.FirstOrDefault(i => i.Name == name)
            ?? throw new DynamoDbException("ResourceNotFoundException", $"Requested resource not found: Index: {name} not found");
    }

    /// <summary>A stand-in for validating a stream or encryption change without applying it.</summary>
    private static DynamoDbTable Copy(DynamoDbTable table) => new()
    {
        Name = table.Name,
        TableId = table.TableId,
        Arn = table.Arn,
        HashKey = table.HashKey,
        AttributeTypes = table.AttributeTypes,
        BillingMode = table.BillingMode,
        CreatedAt = table.CreatedAt,
        StreamViewType = table.StreamViewType,
        SseKmsKeyArn = table.SseKmsKeyArn,
    };

    private static void ApplyStream(DynamoDbTable table, JsonObject? spec, DateTimeOffset now, bool creating)
    {
        if (spec is null)
        {
            return;
        }

        var enabled = spec["StreamEnabled"]?.GetValue<bool>() ?? throw Missing("streamSpecification.streamEnabled");
        var view = spec["StreamViewType"]?.GetValue<string>();
        if (view is not null && !StreamViewTypes.Contains(view))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{view}' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", StreamViewTypes)}]");
        }

        if (enabled)
        {
            if (view is null)
            {
                throw DynamoDbException.Validation("One or more parameter values were invalid: StreamViewType must be specified when StreamEnabled is true");
            }

            if (table.StreamViewType is not null)
            {
                throw DynamoDbException.Validation($"Table already has an enabled stream: {table.Arn}/stream/{table.StreamLabel}");
            }

            table.StreamViewType = view;
            table.StreamLabel = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
            return;
        }

        if (view is not null)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: StreamViewType cannot be specified when StreamEnabled is false");
        }

        if (!creating && table.StreamViewType is null)
        {
            throw DynamoDbException.Validation($"Table {table.Name} does not have a stream enabled");
        }

        table.StreamViewType = null;
    }

    private static void ApplySse(DynamoDbTable table, JsonObject? spec, string region)
    {
        if (spec is null)
        {
            return;
        }

        var enabled = spec["Enabled"]?.GetValue<bool>() ?? false;
        var type = spec["SSEType"]?.GetValue<string>();
        var key = spec["KMSMasterKeyId"]?.GetValue<string>();
        if (type is not (null or "KMS" or "AES256"))
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{type}' at 'sSESpecification.sSEType' failed to satisfy constraint: Member must satisfy enum value set: [AES256, KMS]");
        }

        if (!enabled && (type is not null || key is not null))
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: SSEType and KMSMasterKeyId can only be specified when SSESpecification Enabled is true");
        }

        if (type == "AES256")
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: SSEType AES256 is not supported; use KMS");
        }

        var partition = Partition(region);
        table.SseKmsKeyArn = !enabled ? null : key switch
        {
            null or "alias/aws/dynamodb" => $"arn:{partition}:kms:{region}:{Ec2.Ec2Handler.OwnerId}:key/00000000-0000-0000-0000-0000000d1a0b",
            _ when key.StartsWith("arn:", StringComparison.Ordinal) => key,
            _ => $"arn:{partition}:kms:{region}:{Ec2.Ec2Handler.OwnerId}:{(key.StartsWith("alias/", StringComparison.Ordinal) ? key : "key/" + key)}",
        };
    }

    private static JsonObject UpdateTimeToLive(JsonObject request, DynamoDbState state)
    {
        var table = state.Table(TableName(request));
        var spec = request["TimeToLiveSpecification"] as JsonObject ?? throw Missing("timeToLiveSpecification");
        var enabled = spec["Enabled"]?.GetValue<bool>() ?? throw Missing("timeToLiveSpecification.enabled");
        var attribute = spec["AttributeName"]?.GetValue<string>() ?? throw Missing("timeToLiveSpecification.attributeName");
        if (attribute.Length is 0 or > 255)
        {
            throw DynamoDbException.Validation($"1 validation error detected: Value '{attribute}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length {(attribute.Length == 0 ? "greater than or equal to 1" : "less than or equal to 255")}");
        }

        if (enabled && table.TtlAttribute is not null)
        {
            throw DynamoDbException.Validation("TimeToLive is already enabled");
        }

        if (!enabled && table.TtlAttribute is null)
        {
            throw DynamoDbException.Validation("TimeToLive is already disabled");
        }

        if (!enabled && table.TtlAttribute != attribute)
        {
            throw DynamoDbException.Validation($"TimeToLive is active on a different AttributeName: current AttributeName is {table.TtlAttribute}");
        }

        table.TtlAttribute = enabled ? attribute : null;
        return new JsonObject { ["TimeToLiveSpecification"] = new JsonObject { ["Enabled"] = enabled, ["AttributeName"] = attribute } };
    }

    private static JsonObject DescribeTimeToLive(JsonObject request, DynamoDbState state)
    {
        var table = state.Table(TableName(request));
        var description = new JsonObject { ["TimeToLiveStatus"] = table.TtlAttribute is null ? "DISABLED" : "ENABLED" };
        if (table.TtlAttribute is { } attribute)
        {
            description["AttributeName"] = attribute;
        }

        return new JsonObject { ["TimeToLiveDescription"] = description };
    }

    private static JsonObject TagResource(JsonObject request, DynamoDbState state)
    {
        var table = state.TableByArn(request["ResourceArn"]?.GetValue<string>() ?? throw Missing("resourceArn"));
        var tags = Tags(request["Tags"] ?? throw Missing("tags"));
        if (table.Tags.Keys.Union(tags.Select(t => t.Key)).Count() > 50)
        {
            throw DynamoDbException.Validation("One or more parameter values were invalid: The number of tags on the resource would exceed the limit of 50");
        }

        foreach (var (key, value) in tags)
        {
            table.Tags[key] = value;
        }

        return [];
    }

    private static JsonObject UntagResource(JsonObject request, DynamoDbState state)
    {
        var table = state.TableByArn(request["ResourceArn"]?.GetValue<string>() ?? throw Missing("resourceArn"));
        var keys = request["TagKeys"] as JsonArray ?? throw Missing("tagKeys");
        foreach (var key in keys)
        {
            table.Tags.Remove(key!.GetValue<string>());
        }

        return [];
    }

    private static JsonObject ListTagsOfResource(JsonObject request, DynamoDbState state)
    {
        var table = state.TableByArn(request["ResourceArn"]?.GetValue<string>() ?? throw Missing("resourceArn"));
        return new JsonObject { ["Tags"] = new JsonArray([.. table.Tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]) };
    }

    /// <summary>A <c>Tags</c> list: keys of 1 to 128 characters not starting with <c>aws:</c>, values of at most 256.</summary>
    private static List<(string Key, string Value)> Tags(JsonNode? node)
    {
        var tags = new List<(string, string)>();
        foreach (var tag in node as JsonArray ?? [])
        {
            var key = tag?["Key"]?.GetValue<string>() ?? throw Missing("tags.member.key");
            var value = tag["Value"]?.GetValue<string>() ?? throw Missing("tags.member.value");
            if (key.Length is 0 or > 128 || value.Length > 256)
            {
                throw DynamoDbException.Validation($"1 validation error detected: Value '{(key.Length is 0 or > 128 ? key : value)}' at 'tags.member.{(key.Length is 0 or > 128 ? "key" : "value")}' failed to satisfy constraint: Member must have length {(key.Length == 0 ? "greater than or equal to 1" : key.Length > 128 ? "less than or equal to 128" : "less than or equal to 256")}");
            }

            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw DynamoDbException.Validation($"One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use: {key}");
            }

            tags.Add((key, value));
        }

        return tags;
    }
}
