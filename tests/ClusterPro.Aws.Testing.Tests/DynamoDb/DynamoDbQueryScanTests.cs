using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ClusterPro.Aws.Testing.Tests.DynamoDb;

/// <summary>Query and Scan on tables with global and local secondary indexes, as set-up and application code uses them.</summary>
public class DynamoDbQueryScanTests
{
    private const string Table = "orders";

    private static AttributeValue S(string s) => new() { S = s };

    private static AttributeValue N(int n) => new() { N = n.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static async Task<(AwsEmulator Emu, AmazonDynamoDBClient Db)> StartAsync()
    {
        var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        var config = emu.CreateDynamoDbConfig();
        config.MaxErrorRetry = 0;
        var db = new AmazonDynamoDBClient(emu.Credentials, config);
        await db.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("customer", KeyType.HASH), new KeySchemaElement("seq", KeyType.RANGE)],
            AttributeDefinitions =
            [
                new AttributeDefinition("customer", ScalarAttributeType.S),
                new AttributeDefinition("seq", ScalarAttributeType.N),
                new AttributeDefinition("state", ScalarAttributeType.S),
                new AttributeDefinition("placed", ScalarAttributeType.S),
            ],
            GlobalSecondaryIndexes =
            [
                new GlobalSecondaryIndex
                {
                    IndexName = "by-state",
                    KeySchema = [new KeySchemaElement("state", KeyType.HASH), new KeySchemaElement("placed", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
                },
            ],
            LocalSecondaryIndexes =
            [
                new LocalSecondaryIndex
                {
                    IndexName = "by-placed",
                    KeySchema = [new KeySchemaElement("customer", KeyType.HASH), new KeySchemaElement("placed", KeyType.RANGE)],
                    Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = ["total"] },
                },
            ],
        });
        foreach (var (customer, seq, state, placed, total) in new[]
        {
            ("alice", 1, "open", "2026-01-03", 10), ("alice", 2, "shipped", "2026-01-01", 20), ("alice", 10, "open", "2026-01-02", 30),
            ("bob", 1, "open", "2026-01-04", 40), ("bob", 2, (string?)null, "2026-01-05", 50),
        })
        {
            var item = new Dictionary<string, AttributeValue> { ["customer"] = S(customer), ["seq"] = N(seq), ["placed"] = S(placed), ["total"] = N(total), ["note"] = S("n" + seq) };
            if (state is not null)
            {
                item["state"] = S(state);
            }

            await db.PutItemAsync(new PutItemRequest { TableName = Table, Item = item });
        }

        return (emu, db);
    }

    private static async Task<AmazonDynamoDBException> FailsAsync(Func<Task> call) => (await call.Should().ThrowAsync<AmazonDynamoDBException>()).Which;

    [Fact]
    public async Task CreateTable_WithIndexes_IsDescribedWithThem()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var table = (await db.DescribeTableAsync(Table)).Table;

        table.GlobalSecondaryIndexes.Should().ContainSingle().Which.IndexName.Should().Be("by-state");
        table.GlobalSecondaryIndexes[0].IndexStatus.Value.Should().Be("ACTIVE");
        table.GlobalSecondaryIndexes[0].ItemCount.Should().Be(4, "bob's order without a state is not in the sparse index");
        table.GlobalSecondaryIndexes[0].IndexArn.Should().Be($"{table.TableArn}/index/by-state");
        table.LocalSecondaryIndexes.Should().ContainSingle().Which.Projection.NonKeyAttributes.Should().Equal("total");
        table.AttributeDefinitions.Select(a => a.AttributeName).Should().BeEquivalentTo("customer", "seq", "state", "placed");
    }

    [Fact]
    public async Task Query_KeyConditionOnSortKey_IsOrderedNumerically_AndPagesWithLimit()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        var request = new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "customer = :c AND seq BETWEEN :lo AND :hi",
            ExpressionAttributeValues = new() { [":c"] = S("alice"), [":lo"] = N(1), [":hi"] = N(10) },
        };

        var all = await db.QueryAsync(request);
        request.Limit = 2;
        var first = await db.QueryAsync(request);
        request.ExclusiveStartKey = first.LastEvaluatedKey;
        var second = await db.QueryAsync(request);
        var backwards = await db.QueryAsync(new QueryRequest { TableName = Table, KeyConditionExpression = "customer = :c", ExpressionAttributeValues = new() { [":c"] = S("alice") }, ScanIndexForward = false });

        all.Items.Select(i => i["seq"].N).Should().Equal("1", "2", "10");
        first.Items.Should().HaveCount(2);
        first.LastEvaluatedKey.Keys.Should().BeEquivalentTo("customer", "seq");
        second.Items.Select(i => i["seq"].N).Should().Equal("10");
        (second.LastEvaluatedKey ?? []).Should().BeEmpty();
        backwards.Items.Select(i => i["seq"].N).Should().Equal("10", "2", "1");
    }

    [Fact]
    public async Task Query_FilterAndProjectionAndCount_CountAndScannedCountDiffer()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var filtered = await db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "customer = :c",
            FilterExpression = "#t >= :min",
            ProjectionExpression = "seq, #t",
            ExpressionAttributeNames = new() { ["#t"] = "total" },
            ExpressionAttributeValues = new() { [":c"] = S("alice"), [":min"] = N(20) },
        });
        var count = await db.QueryAsync(new QueryRequest { TableName = Table, KeyConditionExpression = "customer = :c", ExpressionAttributeValues = new() { [":c"] = S("bob") }, Select = Select.COUNT });

        filtered.Count.Should().Be(2);
        filtered.ScannedCount.Should().Be(3);
        filtered.Items.Should().OnlyContain(i => i.Keys.Count == 2 && i.ContainsKey("seq") && i.ContainsKey("total"));
        count.Count.Should().Be(2);
        (count.Items ?? []).Should().BeEmpty();
    }

    [Fact]
    public async Task Query_GlobalIndex_AnswersItsProjection_AndItsKeys()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var open = await db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = "by-state",
            KeyConditionExpression = "#s = :open AND begins_with(placed, :jan)",
            ExpressionAttributeNames = new() { ["#s"] = "state" },
            ExpressionAttributeValues = new() { [":open"] = S("open"), [":jan"] = S("2026-01") },
        });
        var allAttributes = await FailsAsync(() => db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = "by-state",
            KeyConditionExpression = "#s = :open",
            ExpressionAttributeNames = new() { ["#s"] = "state" },
            ExpressionAttributeValues = new() { [":open"] = S("open") },
            Select = Select.ALL_ATTRIBUTES,
        }));
        var consistent = await FailsAsync(() => db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = "by-state",
            ConsistentRead = true,
            KeyConditionExpression = "#s = :open",
            ExpressionAttributeNames = new() { ["#s"] = "state" },
            ExpressionAttributeValues = new() { [":open"] = S("open") },
        }));

        open.Items.Select(i => i["placed"].S).Should().Equal("2026-01-02", "2026-01-03", "2026-01-04");
        open.Items.Should().OnlyContain(i => i.Keys.Count == 4 && !i.ContainsKey("total"), "KEYS_ONLY holds the table's and the index's keys");
        allAttributes.Message.Should().Contain("Select type ALL_ATTRIBUTES is not supported for global secondary index by-state");
        consistent.Message.Should().Contain("Consistent reads are not supported on global secondary indexes");
    }

    [Fact]
    public async Task Query_LocalIndex_OrdersByItsSortKey()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var byPlaced = await db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            IndexName = "by-placed",
            KeyConditionExpression = "customer = :c AND placed > :after",
            ExpressionAttributeValues = new() { [":c"] = S("alice"), [":after"] = S("2026-01-01") },
        });

        byPlaced.Items.Select(i => i["seq"].N).Should().Equal("10", "1");
        byPlaced.Items[0].Keys.Should().BeEquivalentTo("customer", "seq", "placed", "total");
    }

    [Theory]
    [InlineData("seq = :n", "Query condition missed key schema element: customer")]
    [InlineData("customer = :c OR seq = :n", "Invalid operator used in KeyConditionExpression: OR")]
    [InlineData("customer = :c AND customer = :c2", "KeyConditionExpressions must only contain one condition per key")]
    [InlineData("customer = :c AND note = :n", "Query key condition not supported")]
    [InlineData("customer = :n", "Condition parameter type does not match schema type")]
    public async Task Query_BadKeyConditions_AreValidationErrors(string condition, string message)
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        var values = new Dictionary<string, AttributeValue> { [":c"] = S("alice"), [":c2"] = S("bob"), [":n"] = N(1) };
        var used = values.Where(v => condition.Contains(v.Key, StringComparison.Ordinal)).ToDictionary(v => v.Key, v => v.Value);

        var ex = await FailsAsync(() => db.QueryAsync(new QueryRequest { TableName = Table, KeyConditionExpression = condition, ExpressionAttributeValues = used }));

        ex.ErrorCode.Should().Be("ValidationException");
        ex.Message.Should().Contain(message);
    }

    [Fact]
    public async Task Query_FilterOnAKeyAttribute_IsRefused()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var ex = await FailsAsync(() => db.QueryAsync(new QueryRequest
        {
            TableName = Table,
            KeyConditionExpression = "customer = :c",
            FilterExpression = "seq > :n",
            ExpressionAttributeValues = new() { [":c"] = S("alice"), [":n"] = N(1) },
        }));

        ex.Message.Should().Contain("Filter Expression can only contain non-primary key attributes: Primary key attribute: seq");
    }

    [Fact]
    public async Task Scan_WithFilterLimitAndSegments_VisitsEveryItemOnce()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var filtered = await db.ScanAsync(new ScanRequest { TableName = Table, FilterExpression = "#t > :n", ExpressionAttributeNames = new() { ["#t"] = "total" }, ExpressionAttributeValues = new() { [":n"] = N(25) } });
        var pages = new List<int>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await db.ScanAsync(new ScanRequest { TableName = Table, Limit = 2, ExclusiveStartKey = start });
            pages.Add(page.Items.Count);
            start = page.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (start is not null);
        var segments = new List<string>();
        for (var segment = 0; segment < 3; segment++)
        {
            var part = await db.ScanAsync(new ScanRequest { TableName = Table, Segment = segment, TotalSegments = 3 });
            segments.AddRange(part.Items.Select(i => i["customer"].S + i["seq"].N));
        }

        var bad = await FailsAsync(() => db.ScanAsync(new ScanRequest { TableName = Table, Segment = 1 }));

        filtered.Items.Select(i => i["total"].N).Should().BeEquivalentTo("30", "40", "50");
        filtered.ScannedCount.Should().Be(5);
        pages.Should().Equal(2, 2, 1);
        segments.Should().BeEquivalentTo("alice1", "alice2", "alice10", "bob1", "bob2");
        bad.Message.Should().Contain("TotalSegments");
    }

    [Fact]
    public async Task PutItem_IndexKeyOfTheWrongType_IsRefused()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var ex = await FailsAsync(() => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["customer"] = S("carol"), ["seq"] = N(1), ["state"] = N(3) } }));

        ex.Message.Should().Contain("Type mismatch for Index Key state Expected: S Actual: N IndexName: by-state");
    }

    [Fact]
    public async Task CreateTable_IndexKeyWithoutADefinition_AndAnUnusedDefinition_AreRefused()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        var request = new CreateTableRequest
        {
            TableName = "other",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            GlobalSecondaryIndexes = [new GlobalSecondaryIndex { IndexName = "gsi", KeySchema = [new KeySchemaElement("gk", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
        };

        var undefined = await FailsAsync(() => db.CreateTableAsync(request));
        request.GlobalSecondaryIndexes = [];
        request.AttributeDefinitions.Add(new AttributeDefinition("extra", ScalarAttributeType.S));
        var local = await FailsAsync(() => db.CreateTableAsync(new CreateTableRequest
        {
            TableName = "third",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S), new AttributeDefinition("lk", ScalarAttributeType.S)],
            LocalSecondaryIndexes = [new LocalSecondaryIndex { IndexName = "lsi", KeySchema = [new KeySchemaElement("pk", KeyType.HASH), new KeySchemaElement("lk", KeyType.RANGE)], Projection = new Projection { ProjectionType = ProjectionType.ALL } }],
        }));

        undefined.Message.Should().Contain("Some index key attributes are not defined in AttributeDefinitions");
        local.Message.Should().Contain("Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
    }
}
