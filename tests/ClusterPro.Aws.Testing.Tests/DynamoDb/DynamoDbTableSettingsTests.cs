using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ClusterPro.Aws.Testing.Tests.DynamoDb;

/// <summary>UpdateTable, time to live, streams, encryption and tags, as set-up code configures a table.</summary>
public class DynamoDbTableSettingsTests
{
    private const string Table = "settings";

    private static async Task<(AwsEmulator Emu, AmazonDynamoDBClient Db, string Arn)> StartAsync(BillingMode? billing = null)
    {
        var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        var config = emu.CreateDynamoDbConfig();
        config.MaxErrorRetry = 0;
        var db = new AmazonDynamoDBClient(emu.Credentials, config);
        var created = await db.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = billing ?? BillingMode.PROVISIONED,
            ProvisionedThroughput = billing == BillingMode.PAY_PER_REQUEST ? null : new ProvisionedThroughput(5, 5),
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
            SSESpecification = new SSESpecification { Enabled = true },
            Tags = [new Tag { Key = "team", Value = "ha" }],
        });
        return (emu, db, created.TableDescription.TableArn);
    }

    private static async Task<AmazonDynamoDBException> FailsAsync(Func<Task> call) => (await call.Should().ThrowAsync<AmazonDynamoDBException>()).Which;

    [Fact]
    public async Task CreateTable_StreamAndEncryption_AreDescribed()
    {
        var (emu, db, arn) = await StartAsync();
        await using var _ = emu;
        using var __ = db;

        var table = (await db.DescribeTableAsync(Table)).Table;

        table.StreamSpecification.StreamEnabled.Should().BeTrue();
        table.StreamSpecification.StreamViewType.Value.Should().Be("NEW_AND_OLD_IMAGES");
        table.LatestStreamArn.Should().Be($"{arn}/stream/{table.LatestStreamLabel}");
        table.SSEDescription.Status.Value.Should().Be("ENABLED");
        table.SSEDescription.SSEType.Value.Should().Be("KMS");
        table.SSEDescription.KMSMasterKeyArn.Should().StartWith("arn:aws:kms:ap-northeast-1:123456789012:key/");
    }

    [Fact]
    public async Task UpdateTable_ThroughputBillingIndexesAndStream_AreApplied()
    {
        var (emu, db, _) = await StartAsync();
        await using var __ = emu;
        using var ___ = db;

        var same = await FailsAsync(() => db.UpdateTableAsync(new UpdateTableRequest { TableName = Table, ProvisionedThroughput = new ProvisionedThroughput(5, 5) }));
        await db.UpdateTableAsync(new UpdateTableRequest { TableName = Table, ProvisionedThroughput = new ProvisionedThroughput(10, 7) });
        var raised = (await db.DescribeTableAsync(Table)).Table.ProvisionedThroughput;
        await db.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = Table,
            AttributeDefinitions = [new AttributeDefinition("email", ScalarAttributeType.S)],
            GlobalSecondaryIndexUpdates =
            [
                new GlobalSecondaryIndexUpdate
                {
                    Create = new CreateGlobalSecondaryIndexAction
                    {
                        IndexName = "by-email",
                        KeySchema = [new KeySchemaElement("email", KeyType.HASH)],
                        Projection = new Projection { ProjectionType = ProjectionType.ALL },
                        ProvisionedThroughput = new ProvisionedThroughput(1, 1),
                    },
                },
            ],
        });
        await db.PutItemAsync(new PutItemRequest { TableName = Table, Item = new() { ["pk"] = new AttributeValue("u1"), ["email"] = new AttributeValue("u1@example.com") } });
        var found = await db.QueryAsync(new QueryRequest { TableName = Table, IndexName = "by-email", KeyConditionExpression = "email = :e", ExpressionAttributeValues = new() { [":e"] = new AttributeValue("u1@example.com") } });
        await db.UpdateTableAsync(new UpdateTableRequest { TableName = Table, BillingMode = BillingMode.PAY_PER_REQUEST, StreamSpecification = new StreamSpecification { StreamEnabled = false } });
        var onDemand = (await db.DescribeTableAsync(Table)).Table;
        var nothing = await FailsAsync(() => db.UpdateTableAsync(new UpdateTableRequest { TableName = Table }));
        var twoIndexes = await FailsAsync(() => db.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = Table,
            GlobalSecondaryIndexUpdates =
            [
                new GlobalSecondaryIndexUpdate { Delete = new DeleteGlobalSecondaryIndexAction { IndexName = "by-email" } },
                new GlobalSecondaryIndexUpdate { Create = new CreateGlobalSecondaryIndexAction { IndexName = "xxx", KeySchema = [new KeySchemaElement("pk", KeyType.HASH)], Projection = new Projection { ProjectionType = ProjectionType.ALL } } },
            ],
        }));

        same.Message.Should().Contain("The provisioned throughput for the table will not change");
        (raised.ReadCapacityUnits, raised.WriteCapacityUnits).Should().Be((10L, 7L));
        found.Items.Should().ContainSingle();
        onDemand.BillingModeSummary.BillingMode.Value.Should().Be("PAY_PER_REQUEST");
        onDemand.GlobalSecondaryIndexes.Single().ProvisionedThroughput.ReadCapacityUnits.Should().Be(0);
        onDemand.StreamSpecification.Should().BeNull("the stream was disabled");
        onDemand.LatestStreamLabel.Should().NotBeNullOrEmpty("DynamoDB keeps the latest stream's label");
        nothing.Message.Should().Contain("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        twoIndexes.ErrorCode.Should().Be("LimitExceededException");
        (await db.DescribeTableAsync(Table)).Table.GlobalSecondaryIndexes.Should().ContainSingle("a refused update changes nothing");
    }

    [Fact]
    public async Task TimeToLive_EnableDescribeDisable_WithDynamoDbsErrors()
    {
        var (emu, db, _) = await StartAsync();
        await using var __ = emu;
        using var ___ = db;

        var before = (await db.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = Table })).TimeToLiveDescription;
        var enabled = await db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest { TableName = Table, TimeToLiveSpecification = new TimeToLiveSpecification { Enabled = true, AttributeName = "expires" } });
        var after = (await db.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = Table })).TimeToLiveDescription;
        var again = await FailsAsync(() => db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest { TableName = Table, TimeToLiveSpecification = new TimeToLiveSpecification { Enabled = true, AttributeName = "expires" } }));
        var other = await FailsAsync(() => db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest { TableName = Table, TimeToLiveSpecification = new TimeToLiveSpecification { Enabled = false, AttributeName = "ttl" } }));
        await db.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest { TableName = Table, TimeToLiveSpecification = new TimeToLiveSpecification { Enabled = false, AttributeName = "expires" } });
        var missing = (await db.Invoking(d => d.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = "nope" })).Should().ThrowAsync<ResourceNotFoundException>()).Which;

        before.TimeToLiveStatus.Value.Should().Be("DISABLED");
        enabled.TimeToLiveSpecification.AttributeName.Should().Be("expires");
        after.TimeToLiveStatus.Value.Should().Be("ENABLED");
        after.AttributeName.Should().Be("expires");
        again.Message.Should().Contain("TimeToLive is already enabled");
        other.Message.Should().Contain("TimeToLive is active on a different AttributeName: current AttributeName is expires");
        (await db.DescribeTimeToLiveAsync(new DescribeTimeToLiveRequest { TableName = Table })).TimeToLiveDescription.TimeToLiveStatus.Value.Should().Be("DISABLED");
        missing.Message.Should().Be("Requested resource not found: Table: nope not found");
    }

    [Fact]
    public async Task Tags_OnCreateTagUntagAndList_AndUnknownArnsAreRefused()
    {
        var (emu, db, arn) = await StartAsync(BillingMode.PAY_PER_REQUEST);
        await using var _ = emu;
        using var __ = db;

        await db.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = [new Tag { Key = "env", Value = "test" }, new Tag { Key = "team", Value = "platform" }] });
        await db.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = ["env"] });
        var tags = (await db.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn })).Tags;
        var unknown = (await db.Invoking(d => d.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = arn.Replace(Table, "gone", StringComparison.Ordinal) })).Should().ThrowAsync<ResourceNotFoundException>()).Which;
        var malformed = await FailsAsync(() => db.ListTagsOfResourceAsync(new ListTagsOfResourceRequest { ResourceArn = "settings" }));
        var reserved = await FailsAsync(() => db.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = [new Tag { Key = "aws:owner", Value = "me" }] }));

        tags.Select(t => (t.Key, t.Value)).Should().Equal(("team", "platform"));
        unknown.ErrorCode.Should().Be("ResourceNotFoundException");
        malformed.ErrorCode.Should().Be("ValidationException");
        reserved.ErrorCode.Should().Be("ValidationException");
    }

    [Fact]
    public async Task StreamSpecification_EnabledWithoutAViewType_IsRefused()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        var config = emu.CreateDynamoDbConfig();
        config.MaxErrorRetry = 0;
        using var db = new AmazonDynamoDBClient(emu.Credentials, config);

        var ex = await FailsAsync(() => db.CreateTableAsync(new CreateTableRequest
        {
            TableName = "streamed",
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("pk", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("pk", ScalarAttributeType.S)],
            StreamSpecification = new StreamSpecification { StreamEnabled = true },
        }));

        ex.ErrorCode.Should().Be("ValidationException");
        (await db.ListTablesAsync(new ListTablesRequest())).TableNames.Should().BeNullOrEmpty();
    }
}
