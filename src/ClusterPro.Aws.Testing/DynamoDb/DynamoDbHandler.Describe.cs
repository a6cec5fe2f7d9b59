using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>A table's description, as DescribeTable and the table calls answer it.</summary>
internal static partial class DynamoDbHandler
{
    private static JsonObject Describe(DynamoDbTable table, string status)
    {
        var description = new JsonObject
        {
            ["AttributeDefinitions"] = new JsonArray([.. table.AttributeTypes.Select(kv => (JsonNode)new JsonObject { ["AttributeName"] = kv.Key, ["AttributeType"] = kv.Value })]),
            ["TableName"] = table.Name,
            ["KeySchema"] = KeySchemaJson(table.HashKey, table.RangeKey),
            ["TableStatus"] = status,
            ["CreationDateTime"] = Seconds(table.CreatedAt),
            ["ProvisionedThroughput"] = ThroughputJson(table.ReadCapacityUnits, table.WriteCapacityUnits),
            ["TableSizeBytes"] = table.Items.Values.Sum(i => (long)AttributeValues.Size(i)),
            ["ItemCount"] = table.Items.Count,
            ["TableArn"] = table.Arn,
            ["TableId"] = table.TableId,
            ["DeletionProtectionEnabled"] = table.DeletionProtection,
        };
        if (table.BillingMode == "PAY_PER_REQUEST" || table.BillingModeChangedAt is not null)
        {
            description["BillingModeSummary"] = new JsonObject
            {
                ["BillingMode"] = table.BillingMode,
                ["LastUpdateToPayPerRequestDateTime"] = Seconds(table.BillingModeChangedAt ?? table.CreatedAt),
            };
        }

        if (table.LocalIndexes.Count > 0)
        {
            description["LocalSecondaryIndexes"] = new JsonArray([.. table.LocalIndexes.Select(i => (JsonNode)IndexJson(table, i))]);
        }

        if (table.GlobalIndexes.Count > 0)
        {
            description["GlobalSecondaryIndexes"] = new JsonArray([.. table.GlobalIndexes.Select(i => (JsonNode)IndexJson(table, i))]);
        }

        if (table.StreamViewType is { } view)
        {
            description["StreamSpecification"] = new JsonObject { ["StreamEnabled"] = true, ["StreamViewType"] = view };
        }

        if (table.StreamLabel is { } label)
        {
            description["LatestStreamLabel"] = label;
            description["LatestStreamArn"] = $"{table.Arn}/stream/{label}";
        }

        if (table.SseKmsKeyArn is { } key)
        {
            description["SSEDescription"] = new JsonObject { ["Status"] = "ENABLED", ["SSEType"] = "KMS", ["KMSMasterKeyArn"] = key };
        }

        if (table.TableClass != "STANDARD")
        {
            description["TableClassSummary"] = new JsonObject { ["TableClass"] = table.TableClass };
        }

        return description;
    }

    private static JsonObject IndexJson(DynamoDbTable table, SecondaryIndex index)
    {
        var items = table.Items.Values.Where(index.Holds).ToList();
        var projection = new JsonObject { ["ProjectionType"] = index.ProjectionType };
        if (index.NonKeyAttributes.Count > 0)
        {
            projection["NonKeyAttributes"] = new JsonArray([.. index.NonKeyAttributes.Select(a => (JsonNode)JsonValue.Create(a))]);
        }

        var json = new JsonObject
        {
            ["IndexName"] = index.Name,
            ["KeySchema"] = KeySchemaJson(index.HashKey, index.RangeKey),
            ["Projection"] = projection,
        };
        if (index.Global)
        {
            json["IndexStatus"] = "ACTIVE";
            json["ProvisionedThroughput"] = ThroughputJson(index.ReadCapacityUnits, index.WriteCapacityUnits);
        }

        json["IndexSizeBytes"] = items.Sum(i => (long)AttributeValues.Size(index.Project(i, table)));
        json["ItemCount"] = items.Count;
        json["IndexArn"] = index.Arn;
        return json;
    }

    private static JsonArray KeySchemaJson(string hash, string? range) =>
        new([.. new[] { (hash, "HASH"), (range, "RANGE") }.Where(k => k.Item1 is not null).Select(k => (JsonNode)new JsonObject { ["AttributeName"] = k.Item1, ["KeyType"] = k.Item2 })]);

    private static JsonObject ThroughputJson(long read, long write) =>
        new() { ["NumberOfDecreasesToday"] = 0, ["ReadCapacityUnits"] = read, ["WriteCapacityUnits"] = write };

    private static double Seconds(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 1000.0;
}
