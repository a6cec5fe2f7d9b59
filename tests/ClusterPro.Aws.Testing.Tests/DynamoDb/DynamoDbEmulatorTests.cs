using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace ClusterPro.Aws.Testing.Tests.DynamoDb;

/// <summary>DynamoDB through AWSSDK.DynamoDBv2: tables, items, conditions, updates and AWS's errors.</summary>
public class DynamoDbEmulatorTests
{
    private const string Table = "leases";

    private static AttributeValue S(string s) => new() { S = s };

    private static AttributeValue N(long n) => new() { N = n.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static Dictionary<string, AttributeValue> Key(string pk) => new() { ["pk"] = S(pk) };

    private static async Task<(AwsEmulator Emu, AmazonDynamoDBClient Db)> StartAsync(int maxErrorRetry = 0)
    {
        var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        var config = emu.CreateDynamoDbConfig();
        config.MaxErrorRetry = maxErrorRetry;
        var db = new AmazonDynamoDBClient(emu.Credentials, config);
        await db.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        });
        return (emu, db);
    }

    [Fact]
    public async Task CreateTable_OnDemand_IsDescribedActive_AndDeleteTableRemovesIt()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var table = (await db.DescribeTableAsync(Table)).Table;
        var listed = await db.ListTablesAsync(new ListTablesRequest());
        var deleted = await db.DeleteTableAsync(Table);
        var gone = () => db.DescribeTableAsync(Table);

        table.TableStatus.Should().Be(TableStatus.ACTIVE);
        table.BillingModeSummary.BillingMode.Should().Be(BillingMode.PAY_PER_REQUEST);
        table.KeySchema.Should().ContainSingle().Which.AttributeName.Should().Be("pk");
        table.TableArn.Should().Be($"arn:aws:dynamodb:ap-northeast-1:123456789012:table/{Table}");
        listed.TableNames.Should().Equal(Table);
        deleted.TableDescription.TableStatus.Should().Be(TableStatus.DELETING);
        (await gone.Should().ThrowAsync<ResourceNotFoundException>()).Which.Message.Should().Be($"Requested resource not found: Table: {Table} not found");
    }

    [Fact]
    public async Task CreateTable_Existing_IsResourceInUse_AndProvisionedWithoutThroughputIsValidation()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        var again = () => db.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        });
        var provisioned = () => db.CreateTableAsync(new CreateTableRequest
        {
            TableName = "other",
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
        });

        (await again.Should().ThrowAsync<ResourceInUseException>()).Which.Message.Should().Be($"Table already exists: {Table}");
        (await provisioned.Should().ThrowAsync<AmazonDynamoDBException>()).Which.ErrorCode.Should().Be("ValidationException");
    }

    [Fact]
    public async Task GetItem_MissingTable_IsResourceNotFound()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var act = () => db.GetItemAsync(new GetItemRequest { TableName = "nope", Key = Key("a") });

        var ex = (await act.Should().ThrowAsync<ResourceNotFoundException>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PutItem_AttributeNotExists_CreatesOnce_ThenConditionalCheckFails()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        var put = new PutItemRequest
        {
            TableName = Table,
            Item = new() { ["pk"] = S("group/failover1"), ["owner"] = S("node1"), ["rvn"] = N(1) },
            ConditionExpression = "attribute_not_exists(pk)",
        };

        await db.PutItemAsync(put);
        var again = () => db.PutItemAsync(put);
        var item = await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("group/failover1"), ConsistentRead = true });
        var missing = await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("group/none"), ConsistentRead = true });

        var ex = (await again.Should().ThrowAsync<ConditionalCheckFailedException>()).Which;
        ex.Message.Should().Be("The conditional request failed");
        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        item.Item["owner"].S.Should().Be("node1");
        item.Item["rvn"].N.Should().Be("1");
        (missing.Item is null || missing.Item.Count == 0).Should().BeTrue();
    }

    [Fact]
    public async Task UpdateItem_LeaseTakeover_ChecksOwnerAndRecordVersion_ReturnsAllNew()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        await db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["pk"] = S("g"), ["owner"] = S("node1"), ["rvn"] = S("v1") } });
        UpdateItemRequest Renew(string me, string seen, string next) => new()
        {
            TableName = Table,
            Key = Key("g"),
            UpdateExpression = "SET #owner = :me, #rvn = :next",
            ConditionExpression = "attribute_not_exists(pk) OR (#rvn = :seen AND (#owner = :me OR NOT #owner <> :me OR #owner = :other))",
            ExpressionAttributeNames = new() { ["#owner"] = "owner", ["#rvn"] = "rvn" },
            ExpressionAttributeValues = new() { [":me"] = S(me), [":seen"] = S(seen), [":next"] = S(next), [":other"] = S("node1") },
            ReturnValues = ReturnValue.ALL_NEW,
        };

        var taken = await db.UpdateItemAsync(Renew("node2", "v1", "v2"));
        var stale = () => db.UpdateItemAsync(Renew("node3", "v1", "v3"));

        taken.Attributes["owner"].S.Should().Be("node2");
        taken.Attributes["rvn"].S.Should().Be("v2");
        taken.Attributes["pk"].S.Should().Be("g");
        await stale.Should().ThrowAsync<ConditionalCheckFailedException>("the record version moved on");
    }

    [Fact]
    public async Task ConditionalCheckFailed_WithReturnValuesOnFailure_CarriesTheCurrentItem()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        await db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["pk"] = S("g"), ["owner"] = S("node1"), ["rvn"] = N(7) } });

        var act = () => db.PutItemAsync(new PutItemRequest
        {
            TableName = Table,
            Item = new() { ["pk"] = S("g"), ["owner"] = S("node2"), ["rvn"] = N(8) },
            ConditionExpression = "rvn = :seen",
            ExpressionAttributeValues = new() { [":seen"] = N(6) },
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        });

        var ex = (await act.Should().ThrowAsync<ConditionalCheckFailedException>()).Which;
        ex.Item["owner"].S.Should().Be("node1");
        ex.Item["rvn"].N.Should().Be("7");
    }

    [Theory]
    [InlineData("n = :five", true)]
    [InlineData("n <> :five", false)]
    [InlineData("n < :six AND n <= :five", true)]
    [InlineData("n > :five OR n >= :six", false)]
    [InlineData("NOT (n > :five) AND (s = :hello OR s = :five)", true)]
    [InlineData("n BETWEEN :five AND :six AND s IN (:hello, :five)", true)]
    [InlineData("begins_with(s, :he) AND contains(s, :ll) AND size(s) = :five", true)]
    [InlineData("attribute_exists(absent) OR absent = :five", false)]
    [InlineData("absent <> :five AND attribute_type(s, :string)", true)]
    [InlineData("n = :hello", false)]
    public async Task ConditionExpression_Comparisons_EvaluateLikeDynamoDb(string condition, bool holds)
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        await db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["pk"] = S("x"), ["n"] = N(5), ["s"] = S("hello") } });
        var values = new Dictionary<string, AttributeValue> { [":five"] = N(5), [":six"] = N(6), [":hello"] = S("hello"), [":he"] = S("he"), [":ll"] = S("ll"), [":string"] = S("S") };
        values = values.Where(v => System.Text.RegularExpressions.Regex.IsMatch(condition, System.Text.RegularExpressions.Regex.Escape(v.Key) + @"\b")).ToDictionary();

        var act = () => db.UpdateItemAsync(new UpdateItemRequest { TableName = Table, Key = Key("x"), UpdateExpression = "ADD hits :one", ConditionExpression = condition, ExpressionAttributeValues = new(values) { [":one"] = N(1) } });

        if (holds)
        {
            await act.Should().NotThrowAsync();
        }
        else
        {
            await act.Should().ThrowAsync<ConditionalCheckFailedException>();
        }
    }

    [Fact]
    public async Task UpdateItem_SetRemoveAdd_WithUpdatedOldAndNew()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        await db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["pk"] = S("c"), ["count"] = N(1), ["note"] = S("x"), ["keep"] = S("k") } });

        var old = await db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table,
            Key = Key("c"),
            UpdateExpression = "ADD #count :two, tags :tags SET fresh = if_not_exists(fresh, :zero) + :two REMOVE note",
            ExpressionAttributeNames = new() { ["#count"] = "count" },
            ExpressionAttributeValues = new() { [":two"] = N(2), [":zero"] = N(0), [":tags"] = new AttributeValue { SS = ["a", "b"] } },
            ReturnValues = ReturnValue.UPDATED_OLD,
        });
        var updated = await db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table,
            Key = Key("c"),
            UpdateExpression = "SET #count = #count - :one",
            ExpressionAttributeNames = new() { ["#count"] = "count" },
            ExpressionAttributeValues = new() { [":one"] = N(1) },
            ReturnValues = ReturnValue.UPDATED_NEW,
        });
        var item = (await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("c"), ConsistentRead = true })).Item;

        old.Attributes.Keys.Should().BeEquivalentTo("count", "note");
        old.Attributes["count"].N.Should().Be("1");
        updated.Attributes.Keys.Should().Equal("count");
        updated.Attributes["count"].N.Should().Be("2");
        item.Keys.Should().BeEquivalentTo("pk", "count", "tags", "fresh", "keep");
        item["fresh"].N.Should().Be("2");
        item["tags"].SS.Should().BeEquivalentTo("a", "b");
    }

    [Fact]
    public async Task UpdateItem_MissingItem_CreatesIt_AndDeleteItemReturnsAllOld()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var created = await db.UpdateItemAsync(new UpdateItemRequest { TableName = Table, Key = Key("new"), UpdateExpression = "SET v = :v", ExpressionAttributeValues = new() { [":v"] = S("1") }, ReturnValues = ReturnValue.ALL_NEW });
        var conditional = () => db.DeleteItemAsync(new DeleteItemRequest { TableName = Table, Key = Key("new"), ConditionExpression = "v = :other", ExpressionAttributeValues = new() { [":other"] = S("2") } });
        await conditional.Should().ThrowAsync<ConditionalCheckFailedException>();
        var deleted = await db.DeleteItemAsync(new DeleteItemRequest { TableName = Table, Key = Key("new"), ReturnValues = ReturnValue.ALL_OLD });

        created.Attributes.Keys.Should().BeEquivalentTo("pk", "v");
        deleted.Attributes["v"].S.Should().Be("1");
        (await db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("new") })).Item.Should().BeNullOrEmpty();
    }

    public static TheoryData<string, Func<AmazonDynamoDBClient, Task>> Invalid() => new()
    {
        { "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}", db => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = Key("a"), ConditionExpression = "attribute_not_exists(pk)", ExpressionAttributeValues = new() { [":unused"] = S("x") } }) },
        { "An expression attribute name used in the document path is not defined; attribute name: #nope", db => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = Key("a"), ConditionExpression = "attribute_not_exists(#nope)" }) },
        { "Invalid ConditionExpression: Syntax error; token: \"=\"", db => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = Key("a"), ConditionExpression = "pk = = :v", ExpressionAttributeValues = new() { [":v"] = S("x") } }) },
        { "Cannot update attribute pk. This attribute is part of the key", db => db.UpdateItemAsync(new UpdateItemRequest { TableName = Table, Key = Key("a"), UpdateExpression = "SET pk = :v", ExpressionAttributeValues = new() { [":v"] = S("x") } }) },
        { "Type mismatch for key pk expected: S actual: N", db => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["pk"] = N(1) } }) },
        { "Missing the key pk in the item", db => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["other"] = S("x") } }) },
        { "The provided key element does not match the schema", db => db.GetItemAsync(new GetItemRequest { TableName = Table, Key = new() { ["id"] = S("x") } }) },
        { "The parameter cannot be converted to a numeric value: abc", db => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["pk"] = S("a"), ["n"] = new AttributeValue { N = "abc" } } }) },
        { "Two document paths overlap with each other", db => db.UpdateItemAsync(new UpdateItemRequest { TableName = Table, Key = Key("a"), UpdateExpression = "SET v = :v REMOVE v", ExpressionAttributeValues = new() { [":v"] = S("x") } }) },
        { "Return values set to invalid value", db => db.PutItemAsync(new PutItemRequest { TableName = Table, Item = Key("a"), ReturnValues = ReturnValue.ALL_NEW }) },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task InvalidRequests_AreValidationException(string message, Func<AmazonDynamoDBClient, Task> call)
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var act = () => call(db);

        var ex = (await act.Should().ThrowAsync<AmazonDynamoDBException>()).Which;
        ex.ErrorCode.Should().Be("ValidationException");
        ex.Message.Should().Contain(message);
        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ConcurrentConditionalCreates_ExactlyOneWins()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var attempts = Enumerable.Range(0, 16).Select(async i =>
        {
            try
            {
                await db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["pk"] = S("lease"), ["owner"] = S($"node{i}") }, ConditionExpression = "attribute_not_exists(pk)" });
                return true;
            }
            catch (ConditionalCheckFailedException)
            {
                return false;
            }
        });

        (await Task.WhenAll(attempts)).Count(won => won).Should().Be(1);
    }

    [Fact]
    public async Task Throttling_ByFaultRule_IsRetriedBySdk_AndSurfacesWhenItOutlastsTheRetries()
    {
        var (emu, db) = await StartAsync(maxErrorRetry: 2);
        await using var _ = emu;
        using var __ = db;
        emu.Faults.Throttle("PutItem", 1);

        await db.PutItemAsync(new PutItemRequest { TableName = Table, Item = Key("t") });
        emu.Faults.Error("GetItem", "ProvisionedThroughputExceededException", count: 5);
        var act = () => db.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key("t") });

        emu.Calls.Where(c => c.Operation == "PutItem").Select(c => c.ErrorCode).Should().Equal("ThrottlingException", null);
        await act.Should().ThrowAsync<ProvisionedThroughputExceededException>();
        emu.Calls.Where(c => c.Operation == "GetItem").Should().HaveCount(3).And.OnlyContain(c => c.Service == "dynamodb" && c.Status == 400);
    }

    [Fact]
    public async Task UnknownKey_IsUnrecognizedClient_AnotherRegionHasItsOwnTables_AndANonRegionIsInvalidSignature()
    {
        var (emu, db) = await StartAsync();
        await using var _ = emu;
        using var __ = db;
        using var stranger = new AmazonDynamoDBClient(new BasicAWSCredentials("AKIAUNKNOWN000000000", "x"), emu.CreateDynamoDbConfig());
        using var elsewhere = emu.CreateDynamoDbClient("eu-west-1");
        var config = emu.CreateDynamoDbConfig();
        config.AuthenticationRegion = "eu-fake-9";
        using var nowhere = new AmazonDynamoDBClient(emu.Credentials, config);

        var unknown = () => stranger.DescribeTableAsync(Table);
        var otherRegion = () => elsewhere.DescribeTableAsync(Table);
        var notARegion = () => nowhere.DescribeTableAsync(Table);

        (await unknown.Should().ThrowAsync<AmazonDynamoDBException>()).Which.ErrorCode.Should().Be("UnrecognizedClientException");
        (await otherRegion.Should().ThrowAsync<ResourceNotFoundException>()).Which.Message.Should().Be($"Requested resource not found: Table: {Table} not found");
        var ex = (await notARegion.Should().ThrowAsync<AmazonDynamoDBException>()).Which;
        ex.ErrorCode.Should().Be("InvalidSignatureException");
        ex.Message.Should().Contain("not 'eu-fake-9'");
    }
}
