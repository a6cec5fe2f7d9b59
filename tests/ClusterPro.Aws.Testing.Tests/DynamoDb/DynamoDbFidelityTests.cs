using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ClusterPro.Aws.Testing.Tests.DynamoDb;

/// <summary>Expression answers and error texts as DynamoDB gives them, where the emulator used to differ.</summary>
public class DynamoDbFidelityTests
{
    private const string Table = "docs";

    private static AttributeValue S(string s) => new() { S = s };

    private static AttributeValue N(int n) => new() { N = n.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static AttributeValue L(params AttributeValue[] values) => new() { L = [.. values] };

    private static AttributeValue M(params (string Key, AttributeValue Value)[] values) => new() { M = values.ToDictionary(v => v.Key, v => v.Value) };

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["pk"] = S(pk) };

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
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        });
        await db.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = new()
            {
                ["pk"] = S("doc"),
                ["a"] = M(("b", S("keep")), ("c", L(S("c0"))), ("d", S("other"))),
                ["xs"] = L(S("x0"), S("x1"), S("x2"), S("x3"), S("x4")),
                ["top"] = N(1),
            },
        });
        return (emu, db);
    }

    private static async Task<AmazonDynamoDBException> FailsAsync(Func<Task> call) => (await call.Should().ThrowAsync<AmazonDynamoDBException>()).Which;

    [Fact]
    public async Task GetItem_ProjectionOfNestedPathsAndListIndexes_AnswersOnlyThoseParts()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var item = (await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("doc"), ProjectionExpression = "a.b, xs[3], xs[1], top" })).Item;
        var overlap = await FailsAsync(() => db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("doc"), ProjectionExpression = "a, a.b" }));

        item.Keys.Should().BeEquivalentTo("a", "xs", "top");
        item["a"].M.Keys.Should().Equal("b");
        item["a"].M["b"].S.Should().Be("keep");
        item["xs"].L.Select(v => v.S).Should().Equal("x1", "x3");
        overlap.Message.Should().Contain("Two document paths overlap with each other");
    }

    [Fact]
    public async Task UpdateItem_RemoveSeveralListIndexes_RemovesTheElementsOfTheOriginalList()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var updated = await db.UpdateItemAsync(new UpdateItemRequest { TableName = Table, Key = Key("doc"), UpdateExpression = "REMOVE xs[0], xs[1], xs[3]", ReturnValues = ReturnValue.ALL_NEW });

        updated.Attributes["xs"].L.Select(v => v.S).Should().Equal("x2", "x4");
    }

    [Fact]
    public async Task UpdateItem_UpdatedNewAndOld_AnswerOnlyTheUpdatedNestedPath()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var updated = await db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table,
            Key = Key("doc"),
            UpdateExpression = "SET a.c = list_append(a.c, :i)",
            ExpressionAttributeValues = new() { [":i"] = L(S("c1")) },
            ReturnValues = ReturnValue.UPDATED_NEW,
        });
        var old = await db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table,
            Key = Key("doc"),
            UpdateExpression = "SET a.d = :v, xs[1] = :v",
            ExpressionAttributeValues = new() { [":v"] = S("new") },
            ReturnValues = ReturnValue.UPDATED_OLD,
        });

        updated.Attributes.Keys.Should().Equal("a");
        updated.Attributes["a"].M.Keys.Should().Equal("c");
        updated.Attributes["a"].M["c"].L.Select(v => v.S).Should().Equal("c0", "c1");
        old.Attributes["a"].M.Keys.Should().Equal("d");
        old.Attributes["a"].M["d"].S.Should().Be("other");
        old.Attributes["xs"].L.Select(v => v.S).Should().Equal("x1");
    }

    [Theory]
    [InlineData("((top = :one))")]
    [InlineData("attribute_exists(pk) AND ((top = :one))")]
    public async Task ConditionExpression_RedundantParentheses_AreRefused(string condition)
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var ex = await FailsAsync(() => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = Key("doc"), ConditionExpression = condition, ExpressionAttributeValues = new() { [":one"] = N(1) } }));

        ex.ErrorCode.Should().Be("ValidationException");
        ex.Message.Should().Be("1 validation error detected: Invalid ConditionExpression: The expression has redundant parentheses;");
    }

    [Fact]
    public async Task ConditionExpression_NeededParentheses_AreAccepted()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        await db.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = Key("doc"),
            ConditionExpression = "(top = :one) AND (attribute_exists(a) OR top = :two) AND (attribute_exists(pk))",
            ExpressionAttributeValues = new() { [":one"] = N(1), [":two"] = N(2) },
        });

        (await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("doc") })).Item.Keys.Should().Equal("pk");
    }

    [Fact]
    public async Task ReservedWords_UnaliasedAreRefused_AliasedAreAccepted()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var ex = await FailsAsync(() => db.UpdateItemAsync(new UpdateItemRequest { TableName = Table, Key = Key("doc"), UpdateExpression = "SET status = :z", ExpressionAttributeValues = new() { [":z"] = S("z") } }));
        var nested = await FailsAsync(() => db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("doc"), ProjectionExpression = "a.name" }));
        await db.UpdateItemAsync(new UpdateItemRequest { TableName = Table, Key = Key("doc"), UpdateExpression = "SET #s = :z", ExpressionAttributeNames = new() { ["#s"] = "status" }, ExpressionAttributeValues = new() { [":z"] = S("z") } });

        ex.Message.Should().Be("1 validation error detected: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status");
        nested.Message.Should().Contain("reserved keyword: name");
        (await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("doc") })).Item["status"].S.Should().Be("z");
    }

    [Fact]
    public async Task ErrorTexts_AreDynamoDbs()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var missingTable = (await db.Invoking(d => d.GetItemAsync(new GetItemRequest { TableName = "nope", Key = Key("x") })).Should().ThrowAsync<ResourceNotFoundException>()).Which;
        var describeMissing = (await db.Invoking(d => d.DescribeTableAsync("nope")).Should().ThrowAsync<ResourceNotFoundException>()).Which;
        var syntax = await FailsAsync(() => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = Key("y"), ConditionExpression = "pk = = :v", ExpressionAttributeValues = new() { [":v"] = S("x") } }));
        var key = await FailsAsync(() => db.GetItemAsync(new GetItemRequest { TableName = Table, Key = new() { ["id"] = S("x") } }));

        missingTable.Message.Should().Be("Requested resource not found");
        describeMissing.Message.Should().Be("Requested resource not found: Table: nope not found");
        syntax.Message.Should().StartWith("1 validation error detected: Invalid ConditionExpression: Syntax error; token: \"=\"");
        key.Message.Should().Be("1 validation error detected: The provided key element does not match the schema");
    }
}
