using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ClusterPro.Aws.Witness;
using ClusterPro.TestSupport;
using Moq;

namespace ClusterPro.Aws.Tests.Witness;

/// <summary>Setting the witness table up (witness-init) and checking it (doctor), against the emulator.</summary>
public class DynamoDbWitnessTableTests
{
    private const string Table = WitnessEmulator.Table;

    [Fact]
    public async Task EnsureAsync_NoTable_CreatesItOnDemand_KeyedByGroup_WithDeletionProtection()
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);

        var setup = await DynamoDbWitnessTable.EnsureAsync(w.Raw, Table, timeProvider: w.Time);

        setup.Should().Be(new WitnessTableSetup(true, true, "Created DynamoDB table 'clusterpro-witness' (on-demand, partition key 'group' of type S, deletion protection on); ACTIVE after 0 s."));
        var table = (await w.Raw.DescribeTableAsync(Table)).Table;
        table.BillingModeSummary.BillingMode.Should().Be(BillingMode.PAY_PER_REQUEST);
        table.KeySchema.Should().ContainSingle().Which.Should().Match<KeySchemaElement>(k => k.AttributeName == "group" && k.KeyType == KeyType.HASH);
        table.AttributeDefinitions.Should().ContainSingle().Which.AttributeType.Should().Be(ScalarAttributeType.S);
        table.DeletionProtectionEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task EnsureAsync_Twice_IsIdempotent_AndTheStoreWorksOnTheTable()
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);

        var first = await DynamoDbWitnessTable.EnsureAsync(w.Raw, Table, timeProvider: w.Time);
        var second = await DynamoDbWitnessTable.EnsureAsync(w.Raw, Table, timeProvider: w.Time);
        var write = await w.Store().AcquireAsync(new ClusterPro.Witness.LeaseAcquisition("failover1", "node1", null, "rvn-1", 1));

        first.Created.Should().BeTrue();
        second.Should().Be(new WitnessTableSetup(true, false, "DynamoDB table 'clusterpro-witness' exists with the witness's key (partition key 'group' of type S) and is ACTIVE; left as it is."));
        w.Emulator.CountCalls("CreateTable").Should().Be(1);
        write.Outcome.Should().Be(ClusterPro.Witness.LeaseOutcome.Held);
    }

    [Fact]
    public async Task EnsureAsync_TwoAtOnce_BothSucceed_OneCreates()
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);

        var both = await Task.WhenAll(DynamoDbWitnessTable.EnsureAsync(w.Client(), Table), DynamoDbWitnessTable.EnsureAsync(w.Client(), Table));

        both.Should().OnlyContain(s => s.Succeeded);
        both.Count(s => s.Created).Should().Be(1);
    }

    [Theory]
    [InlineData("pk", "S", null, "has partition key 'pk' of type S")]
    [InlineData("group", "N", null, "has partition key 'group' of type N")]
    [InlineData("group", "S", "node", "has partition key 'group' of type S, sort key 'node' of type S")]
    public async Task EnsureAsync_ATableWithAnotherKey_Fails_NamingTheTableWhatItHasAndWhatItNeeds(string hash, string type, string? range, string has)
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);
        await w.Raw.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = range is null ? [new KeySchemaElement(hash, KeyType.HASH)] : [new KeySchemaElement(hash, KeyType.HASH), new KeySchemaElement(range, KeyType.RANGE)],
            AttributeDefinitions = range is null ? [new AttributeDefinition(hash, type)] : [new AttributeDefinition(hash, type), new AttributeDefinition(range, ScalarAttributeType.S)],
        });

        var setup = await DynamoDbWitnessTable.EnsureAsync(w.Raw, Table, timeProvider: w.Time);

        setup.Succeeded.Should().BeFalse();
        setup.Created.Should().BeFalse();
        setup.Detail.Should().Be($"DynamoDB table 'clusterpro-witness' {has}, but the witness needs exactly one key: partition key 'group' of type S (string), no sort key. Fix: name another table in ClusterPro:Witness:Table (witness-init creates it), or delete 'clusterpro-witness' if nothing else uses it.");
    }

    [Theory]
    [InlineData("", "ClusterPro:Witness:Table is empty; name the DynamoDB table that holds the leases (e.g. clusterpro-witness).")]
    [InlineData("a b", "ClusterPro:Witness:Table is 'a b', which DynamoDB does not accept as a table name; use 3 to 255 characters of letters, digits, '_', '-' and '.' (e.g. clusterpro-witness).")]
    public async Task EnsureAsync_AndCheckAsync_AnInvalidName_FailWithoutCallingAws(string table, string detail)
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);

        var setup = await DynamoDbWitnessTable.EnsureAsync(w.Raw, table);
        var checks = await DynamoDbWitnessTable.CheckAsync(w.Raw, table);

        setup.Should().Be(new WitnessTableSetup(false, false, detail));
        checks.Should().ContainSingle().Which.Should().Be(new WitnessCheck(WitnessCheckVerdict.Fail, $"witness table {table}", detail));
        w.Emulator.Calls.Should().BeEmpty();
    }

    [Fact]
    public async Task EnsureAsync_CreateTableDenied_Fails_NamingTheSetUpPermissions()
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);
        w.Emulator.Faults.Deny("CreateTable");

        var setup = await DynamoDbWitnessTable.EnsureAsync(w.Raw, Table, timeProvider: w.Time);

        setup.Succeeded.Should().BeFalse();
        setup.Detail.Should().StartWith("Setting up DynamoDB table 'clusterpro-witness' is not allowed (AccessDeniedException: ")
            .And.Contain("Fix: run witness-init with credentials allowed dynamodb:CreateTable and dynamodb:DescribeTable on arn:aws:dynamodb:<region>:*:table/clusterpro-witness");
    }

    [Fact]
    public async Task EnsureAsync_EndpointDown_Fails_NamingTheEndpoint()
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);
        w.Emulator.Faults.EndpointDown = true;

        var setup = await DynamoDbWitnessTable.EnsureAsync(w.Client(maxErrorRetry: 0), Table);

        setup.Succeeded.Should().BeFalse();
        setup.Detail.Should().Contain("gave no usable answer").And.Contain("Fix: check that this machine reaches the DynamoDB endpoint");
    }

    [Fact]
    public async Task EnsureAsync_ACreatingTable_IsWaitedFor_WithBackoff_UntilActive()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var describes = 0;
        var db = new Mock<IAmazonDynamoDB>(MockBehavior.Strict);
        db.Setup(d => d.DescribeTableAsync(It.IsAny<DescribeTableRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ++describes == 1
                ? throw new ResourceNotFoundException("Requested resource not found") { ErrorCode = "ResourceNotFoundException", StatusCode = System.Net.HttpStatusCode.BadRequest }
                : Described(describes < 4 ? TableStatus.CREATING : TableStatus.ACTIVE));
        db.Setup(d => d.CreateTableAsync(It.IsAny<CreateTableRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new CreateTableResponse { TableDescription = Described(TableStatus.CREATING).Table });

        var setup = await FakeClock.RunAsync(time, DynamoDbWitnessTable.EnsureAsync(db.Object, Table, timeProvider: time), TimeSpan.FromMilliseconds(500));

        setup.Succeeded.Should().BeTrue();
        setup.Created.Should().BeTrue();
        setup.Detail.Should().StartWith("Created DynamoDB table 'clusterpro-witness' (on-demand, partition key 'group' of type S, deletion protection on); ACTIVE after ");
        describes.Should().Be(4, "described at 0 s (missing), then after creating at 0, 1 and 3 s: the interval doubles");
    }

    [Fact]
    public async Task EnsureAsync_ATableThatNeverBecomesActive_FailsAtTheBound()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var db = new Mock<IAmazonDynamoDB>(MockBehavior.Strict);
        db.Setup(d => d.DescribeTableAsync(It.IsAny<DescribeTableRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(Described(TableStatus.CREATING));

        var setup = await FakeClock.RunAsync(time, DynamoDbWitnessTable.EnsureAsync(db.Object, Table, TimeSpan.FromSeconds(20), time), TimeSpan.FromMilliseconds(500));

        setup.Should().Be(new WitnessTableSetup(false, false, "DynamoDB table 'clusterpro-witness' is still CREATING after waiting 20 s for it to be ACTIVE. Fix: run witness-init again in a minute (it waits again; the table is not created twice)."));
    }

    [Fact]
    public async Task CheckAsync_ATableMadeByEnsure_PassesEveryCheck_AndWritesNothing()
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);
        await DynamoDbWitnessTable.EnsureAsync(w.Raw, Table, timeProvider: w.Time);

        var checks = await DynamoDbWitnessTable.CheckAsync(w.Raw, Table);

        checks.Select(c => (c.Verdict, c.What)).Should().Equal(
            (WitnessCheckVerdict.Pass, "witness table clusterpro-witness"),
            (WitnessCheckVerdict.Pass, "witness table clusterpro-witness: key schema"),
            (WitnessCheckVerdict.Pass, "witness table clusterpro-witness: IAM allows dynamodb:GetItem"),
            (WitnessCheckVerdict.Pass, "witness table clusterpro-witness: IAM allows dynamodb:PutItem"),
            (WitnessCheckVerdict.Pass, "witness table clusterpro-witness: IAM allows dynamodb:UpdateItem"));
        checks[0].Detail.Should().Be("ACTIVE, PAY_PER_REQUEST, deletion protection on");
        (await w.Raw.DescribeTableAsync(Table)).Table.ItemCount.Should().Be(0, "the permission checks write nothing");
    }

    [Fact]
    public async Task CheckAsync_MissingTable_FailsWithWitnessInit()
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);

        var checks = await DynamoDbWitnessTable.CheckAsync(w.Raw, Table);

        checks.Should().ContainSingle().Which.Should().Be(new WitnessCheck(WitnessCheckVerdict.Fail, "witness table clusterpro-witness",
            "DynamoDB table 'clusterpro-witness' does not exist in this account and region. Fix: create it with the sample host's witness-init, or correct ClusterPro:Witness:Table and the region (AWS:Region)."));
    }

    [Fact]
    public async Task CheckAsync_AnotherKey_FailsTheKeySchema_AndSkipsThePermissionChecks()
    {
        await using var w = await WitnessEmulator.StartAsync(key: "pk");

        var checks = await DynamoDbWitnessTable.CheckAsync(w.Raw, Table);

        checks.Select(c => c.Verdict).Should().Equal(WitnessCheckVerdict.Warn, WitnessCheckVerdict.Fail);
        checks[1].Detail.Should().Contain("has partition key 'pk' of type S, but the witness needs exactly one key");
    }

    [Fact]
    public async Task CheckAsync_DeletionProtectionOff_Warns_AndAWriteDenied_Fails()
    {
        await using var w = await WitnessEmulator.StartAsync();
        w.Emulator.Faults.Deny("UpdateItem");

        var checks = await DynamoDbWitnessTable.CheckAsync(w.Raw, Table);

        checks[0].Should().Be(new WitnessCheck(WitnessCheckVerdict.Warn, "witness table clusterpro-witness",
            "ACTIVE, PAY_PER_REQUEST, deletion protection off: deleting the table makes every node give its groups up. Fix: aws dynamodb update-table --table-name clusterpro-witness --deletion-protection-enabled"));
        checks.Select(c => c.Verdict).Should().Equal(WitnessCheckVerdict.Warn, WitnessCheckVerdict.Pass, WitnessCheckVerdict.Pass, WitnessCheckVerdict.Pass, WitnessCheckVerdict.Fail);
        checks[4].Detail.Should().StartWith("UpdateItem on DynamoDB table 'clusterpro-witness' is not allowed (AccessDeniedException");
    }

    [Fact]
    public async Task CheckAsync_DescribeDenied_Fails_WithTheFix()
    {
        await using var w = await WitnessEmulator.StartAsync();
        w.Emulator.Faults.Deny("DescribeTable");

        var checks = await DynamoDbWitnessTable.CheckAsync(w.Raw, Table);

        checks.Should().ContainSingle().Which.Verdict.Should().Be(WitnessCheckVerdict.Fail);
        checks[0].Detail.Should().Contain("DescribeTable on DynamoDB table 'clusterpro-witness' is not allowed").And.Contain("Fix: allow");
    }

    private static DescribeTableResponse Described(TableStatus status) => new()
    {
        Table = new TableDescription
        {
            TableName = Table,
            TableStatus = status,
            KeySchema = [new KeySchemaElement("group", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("group", ScalarAttributeType.S)],
        },
    };
}
