using Amazon.DynamoDBv2.Model;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Aws.Witness;
using ClusterPro.Witness;

namespace ClusterPro.Aws.Tests.Witness;

/// <summary>The DynamoDB lease store through AWSSDK.DynamoDBv2 over real HTTP against the emulator.</summary>
public class DynamoDbGroupLeaseStoreTests
{
    private const string Group = "failover1";

    private static LeaseAcquisition Take(string owner, string? expected, string rvn, long epoch) => new(Group, owner, expected, rvn, epoch);

    [Fact]
    public async Task AcquireAsync_EmptyTable_IsHeld_AndTheItemHoldsTheLease()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();

        var write = await store.AcquireAsync(Take("node1", null, "rvn-1", 1));

        write.Outcome.Should().Be(LeaseOutcome.Held, write.Detail);
        write.Detail.Should().Contain("node1 holds failover1").And.Contain("epoch 1, rvn rvn-1");
        var item = await w.ItemAsync(Group);
        item["group"].S.Should().Be(Group);
        item["owner"].S.Should().Be("node1");
        item["rvn"].S.Should().Be("rvn-1");
        item["epoch"].N.Should().Be("1");
        item["updated_by"].S.Should().Be("node1");
        item["lease_ms"].N.Should().Be("10000");
        item["updated_at"].S.Should().Be("2026-12-01T00:00:00.0000000+00:00");
        var put = w.Emulator.Calls.Single(c => c.Operation == "PutItem");
        put.Status.Should().Be(200);
    }

    [Fact]
    public async Task ReadAsync_NoItem_IsAnsweredWithoutARecord_AndAfterAcquire_ReturnsIt()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();

        var none = await store.ReadAsync(Group);
        await store.AcquireAsync(Take("node1", null, "rvn-1", 1));
        var held = await store.ReadAsync(Group);

        none.Should().Be(new LeaseRead(true, null, "GetItem on DynamoDB table 'clusterpro-witness': failover1: no lease."));
        held.Answered.Should().BeTrue();
        held.Record.Should().Be(new LeaseRecord(Group, "node1", "rvn-1", 1));
        held.Detail.Should().Contain("owner node1, epoch 1, rvn rvn-1");
    }

    [Fact]
    public async Task ReadDetailAsync_GivesTheLease_AndTheOperatorFields_WhoWroteItLastAndWhen()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();

        var none = await store.ReadDetailAsync(Group);
        await store.AcquireAsync(Take("node1", null, "rvn-1", 3));
        w.Time.Advance(TimeSpan.FromSeconds(4));
        await store.RenewAsync(Group, "node1", 3, "rvn-2");
        var held = await store.ReadDetailAsync(Group);

        none.Should().Be(new DynamoDbLeaseDetail(new LeaseRead(true, null, "GetItem on DynamoDB table 'clusterpro-witness': failover1: no lease."), null, null, null));
        held.Lease.Record.Should().Be(new LeaseRecord(Group, "node1", "rvn-2", 3));
        held.Lease.Should().Be(await store.ReadAsync(Group));
        held.UpdatedBy.Should().Be("node1");
        held.UpdatedAt.Should().Be(DateTimeOffset.Parse("2026-12-01T00:00:04Z", System.Globalization.CultureInfo.InvariantCulture));
        held.LeaseDuration.Should().Be(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AcquireAsync_WithTheObservedRecordVersion_TakesTheLeaseOver()
    {
        await using var w = await WitnessEmulator.StartAsync();
        await w.Store().AcquireAsync(Take("node1", null, "rvn-1", 1));
        var node2 = w.Store();

        var write = await node2.AcquireAsync(Take("node2", "rvn-1", "rvn-2", 2));

        write.Outcome.Should().Be(LeaseOutcome.Held, write.Detail);
        (await node2.ReadAsync(Group)).Record.Should().Be(new LeaseRecord(Group, "node2", "rvn-2", 2));
    }

    [Fact]
    public async Task AcquireAsync_WithAStaleRecordVersion_IsNotHeld_WithTheCurrentRecord()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var node1 = w.Store();
        await node1.AcquireAsync(Take("node1", null, "rvn-1", 1));
        await node1.RenewAsync(Group, "node1", 1, "rvn-2");

        var write = await w.Store().AcquireAsync(Take("node2", "rvn-1", "rvn-9", 2));

        write.Outcome.Should().Be(LeaseOutcome.NotHeld);
        write.Current.Should().Be(new LeaseRecord(Group, "node1", "rvn-2", 1));
        write.Detail.Should().Contain("the condition failed (expected rvn rvn-1)").And.Contain("owner node1, epoch 1, rvn rvn-2");
    }

    [Fact]
    public async Task AcquireAsync_ExpectingNoLease_WhenOneExists_IsNotHeld_WithTheHolder()
    {
        await using var w = await WitnessEmulator.StartAsync();
        await w.Store().AcquireAsync(Take("node1", null, "rvn-1", 1));

        var write = await w.Store().AcquireAsync(Take("node2", null, "rvn-2", 1));

        write.Outcome.Should().Be(LeaseOutcome.NotHeld);
        write.Current.Should().Be(new LeaseRecord(Group, "node1", "rvn-1", 1));
        write.Detail.Should().Contain("expected no lease");
    }

    [Fact]
    public async Task AcquireAsync_TwoClientsAtOnceOnAnEmptyTable_ExactlyOneHolds_TheOtherSeesTheWinner()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var stores = new[] { w.Store(), w.Store() };

        var writes = await Task.WhenAll(stores.Select((s, i) => s.AcquireAsync(Take($"node{i + 1}", null, $"rvn-{i + 1}", 1))));

        AssertOneWinner(writes, epoch: 1);
    }

    [Fact]
    public async Task AcquireAsync_ThreeClientsTakingOverTheSameRecordVersion_ExactlyOneHolds_TheOthersSeeTheWinner()
    {
        await using var w = await WitnessEmulator.StartAsync();
        await w.Store().AcquireAsync(Take("node0", null, "rvn-0", 1));
        var stores = new[] { w.Store(), w.Store(), w.Store() };

        var writes = await Task.WhenAll(stores.Select((s, i) => s.AcquireAsync(Take($"node{i + 1}", "rvn-0", $"rvn-{i + 1}", 2))));

        AssertOneWinner(writes, epoch: 2);
    }

    [Fact]
    public async Task RenewAsync_ByTheOwner_IsHeld_AndRewritesTheRecordVersionOnly()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();
        await store.AcquireAsync(Take("node1", null, "rvn-1", 1));

        var first = await store.RenewAsync(Group, "node1", 1, "rvn-2");
        var second = await store.RenewAsync(Group, "node1", 1, "rvn-3");

        first.Outcome.Should().Be(LeaseOutcome.Held, first.Detail);
        second.Outcome.Should().Be(LeaseOutcome.Held);
        second.Detail.Should().Contain("node1 renewed failover1");
        (await store.ReadAsync(Group)).Record.Should().Be(new LeaseRecord(Group, "node1", "rvn-3", 1));
        var update = w.Emulator.Calls.Last(c => c.Operation == "UpdateItem");
        update.Status.Should().Be(200);
    }

    [Fact]
    public async Task RenewAsync_AfterAnotherNodeTookIt_IsNotHeld_WithTheNewOwner()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var node1 = w.Store();
        await node1.AcquireAsync(Take("node1", null, "rvn-1", 1));
        await w.Store().AcquireAsync(Take("node2", "rvn-1", "rvn-2", 2));

        var renewal = await node1.RenewAsync(Group, "node1", 1, "rvn-3");

        renewal.Outcome.Should().Be(LeaseOutcome.NotHeld);
        renewal.Current.Should().Be(new LeaseRecord(Group, "node2", "rvn-2", 2));
        renewal.Detail.Should().Contain("expected owner node1 in epoch 1");
        (await node1.ReadAsync(Group)).Record!.RecordVersion.Should().Be("rvn-2", "the refused renewal wrote nothing");
    }

    [Fact]
    public async Task RenewAsync_InAnOlderEpochOfTheSameOwner_IsNotHeld()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();
        await store.AcquireAsync(Take("node1", null, "rvn-1", 1));
        await store.ReleaseAsync(Group, "node1", 1, "rvn-2");
        await store.AcquireAsync(Take("node1", "rvn-2", "rvn-3", 2));

        var stale = await store.RenewAsync(Group, "node1", 1, "rvn-4");

        stale.Outcome.Should().Be(LeaseOutcome.NotHeld);
        stale.Current.Should().Be(new LeaseRecord(Group, "node1", "rvn-3", 2));
    }

    [Fact]
    public async Task RenewAsync_OfAGroupWithoutALease_IsNotHeld_AndCreatesNoItem()
    {
        await using var w = await WitnessEmulator.StartAsync();

        var renewal = await w.Store().RenewAsync(Group, "node1", 1, "rvn-1");

        renewal.Outcome.Should().Be(LeaseOutcome.NotHeld);
        renewal.Current.Should().BeNull();
        (await w.ItemAsync(Group)).Should().BeEmpty();
    }

    [Fact]
    public async Task RenewAsync_WhoseAnswerIsLost_IsUnknownAtTheCallTimeout_AndTheNextRenewalHolds()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var http = new AnswerLosingHttpClientFactory();
        var store = w.Store(http: http);
        await store.AcquireAsync(Take("node1", null, "rvn-1", 1));
        var lost = http.LoseNext("UpdateItem", hang: true);

        var renewal = store.RenewAsync(Group, "node1", 1, "rvn-2");
        await lost.WaitAsync(TimeSpan.FromSeconds(30));
        w.Time.Advance(WitnessEmulator.CallTimeout);
        var unknown = await renewal;
        var applied = (await w.ItemAsync(Group))["rvn"].S;
        var next = await store.RenewAsync(Group, "node1", 1, "rvn-3");

        unknown.Outcome.Should().Be(LeaseOutcome.Unknown);
        unknown.Detail.Should().Be("UpdateItem on DynamoDB table 'clusterpro-witness' gave no answer within 2 s (ClusterPro:Witness:AwsCallTimeout); the write may or may not have happened");
        applied.Should().Be("rvn-2", "the renewal reached DynamoDB; only its answer was lost");
        next.Outcome.Should().Be(LeaseOutcome.Held, "the renewal's condition is the owner and epoch, not the record version the lost answer would have confirmed");
        (await store.ReadAsync(Group)).Record.Should().Be(new LeaseRecord(Group, "node1", "rvn-3", 1));
    }

    [Fact]
    public async Task AcquireAsync_WhoseAnswerIsLost_AndRetriedByTheSdk_IsHeld_NotRefusedByItsOwnWrite()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var http = new AnswerLosingHttpClientFactory();
        var store = w.Store(http: http);
        _ = http.LoseNext("PutItem", hang: false);

        var write = await store.AcquireAsync(Take("node1", null, "rvn-1", 1));

        w.Emulator.Calls.Where(c => c.Operation == "PutItem").Select(c => c.Status).Should().Equal(200, 400);
        write.Outcome.Should().Be(LeaseOutcome.Held, write.Detail);
        write.Detail.Should().Contain("applied by an earlier attempt of this call whose answer was lost");
    }

    [Fact]
    public async Task ReleaseAsync_WhoseAnswerIsLost_AndRetriedByTheSdk_IsReleased()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var http = new AnswerLosingHttpClientFactory();
        var store = w.Store(http: http);
        await store.AcquireAsync(Take("node1", null, "rvn-1", 1));
        _ = http.LoseNext("UpdateItem", hang: false);

        var release = await store.ReleaseAsync(Group, "node1", 1, "rvn-2");

        release.Outcome.Should().Be(LeaseOutcome.Held, release.Detail);
        (await store.ReadAsync(Group)).Record.Should().Be(new LeaseRecord(Group, null, "rvn-2", 1));
    }

    [Fact]
    public async Task ReleaseAsync_ThenAnotherNodeAcquiresAtOnce_WithTheReleasedRecordVersion()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var node1 = w.Store();
        var node2 = w.Store();
        await node1.AcquireAsync(Take("node1", null, "rvn-1", 1));

        var release = await node1.ReleaseAsync(Group, "node1", 1, "rvn-2");
        var seen = await node2.ReadAsync(Group);
        var take = await node2.AcquireAsync(Take("node2", seen.Record!.RecordVersion, "rvn-3", seen.Record.Epoch + 1));
        var renewAfterRelease = await node1.RenewAsync(Group, "node1", 1, "rvn-4");

        release.Outcome.Should().Be(LeaseOutcome.Held, release.Detail);
        release.Detail.Should().Contain("node1 released failover1");
        seen.Record.Should().Be(new LeaseRecord(Group, null, "rvn-2", 1), "a release clears the owner and keeps the epoch");
        (await w.ItemAsync(Group)).Should().ContainKey("updated_by").WhoseValue.S.Should().Be("node2");
        take.Outcome.Should().Be(LeaseOutcome.Held, take.Detail);
        renewAfterRelease.Outcome.Should().Be(LeaseOutcome.NotHeld);
        renewAfterRelease.Current.Should().Be(new LeaseRecord(Group, "node2", "rvn-3", 2));
    }

    [Fact]
    public async Task ReleaseAsync_ByANodeThatNoLongerHoldsIt_IsNotHeld_AndLeavesTheLeaseAlone()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var node1 = w.Store();
        await node1.AcquireAsync(Take("node1", null, "rvn-1", 1));
        await w.Store().AcquireAsync(Take("node2", "rvn-1", "rvn-2", 2));

        var release = await node1.ReleaseAsync(Group, "node1", 1, "rvn-3");

        release.Outcome.Should().Be(LeaseOutcome.NotHeld);
        release.Current.Should().Be(new LeaseRecord(Group, "node2", "rvn-2", 2));
        (await node1.ReadAsync(Group)).Record!.Owner.Should().Be("node2");
    }

    [Fact]
    public async Task RenewAsync_Hanging_IsUnknownAtTheCallTimeout_OnTheInjectedClock()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();
        await store.AcquireAsync(Take("node1", null, "rvn-1", 1));
        var hang = w.Emulator.Faults.Hang("UpdateItem", 1);

        var renewal = store.RenewAsync(Group, "node1", 1, "rvn-2");
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        w.Time.Advance(WitnessEmulator.CallTimeout - TimeSpan.FromMilliseconds(1));
        var pendingJustBefore = renewal.IsCompleted;
        w.Time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await renewal;

        pendingJustBefore.Should().BeFalse();
        result.Outcome.Should().Be(LeaseOutcome.Unknown);
        result.Detail.Should().Contain("gave no answer within 2 s");
        (await store.RenewAsync(Group, "node1", 1, "rvn-3")).Outcome.Should().Be(LeaseOutcome.Held);
    }

    [Fact]
    public async Task ReadAsync_Hanging_IsNoAnswerAtTheCallTimeout()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();
        var hang = w.Emulator.Faults.Hang("GetItem", 1);

        var read = store.ReadAsync(Group);
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        w.Time.Advance(WitnessEmulator.CallTimeout);

        var result = await read;
        result.Answered.Should().BeFalse();
        result.Record.Should().BeNull();
        result.Detail.Should().Be("GetItem on DynamoDB table 'clusterpro-witness' gave no answer within 2 s (ClusterPro:Witness:AwsCallTimeout)");
    }

    [Theory]
    [InlineData("ThrottlingException")]
    [InlineData("ProvisionedThroughputExceededException")]
    [InlineData("RequestLimitExceeded")]
    [InlineData("InternalServerError")]
    [InlineData("ServiceUnavailable")]
    public async Task AcquireAsync_ThrottlingOr5xxBeyondTheSdkRetries_IsUnknown_NotNotHeld(string code)
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store(maxErrorRetry: 1);
        w.Emulator.Faults.Error("PutItem", code);

        var write = await store.AcquireAsync(Take("node1", null, "rvn-1", 1));

        write.Outcome.Should().Be(LeaseOutcome.Unknown);
        write.Current.Should().BeNull();
        write.Detail.Should().Contain(code).And.EndWith("the write may or may not have happened");
        w.Emulator.CountCalls("PutItem").Should().Be(2, "the SDK retried once");
    }

    [Fact]
    public async Task RenewAsync_ThrottledOnce_IsRetriedByTheSdk_AndHeld()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();
        await store.AcquireAsync(Take("node1", null, "rvn-1", 1));
        w.Emulator.Faults.Throttle("UpdateItem", 1);

        var renewal = await store.RenewAsync(Group, "node1", 1, "rvn-2");

        renewal.Outcome.Should().Be(LeaseOutcome.Held, renewal.Detail);
        w.Emulator.Calls.Where(c => c.Operation == "UpdateItem").Select(c => c.ErrorCode).Should().Equal("ThrottlingException", null);
    }

    [Fact]
    public async Task RenewAsync_ThrottledLongerThanTheCallTimeout_IsUnknownAtTheTimeout()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store(maxErrorRetry: 100);
        await store.AcquireAsync(Take("node1", null, "rvn-1", 1));
        var throttle = w.Emulator.Faults.Add(new FaultRule { Operation = "UpdateItem", Kind = FaultKind.Error, ErrorCode = "ProvisionedThroughputExceededException" });

        var renewal = store.RenewAsync(Group, "node1", 1, "rvn-2");
        await throttle.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        w.Time.Advance(WitnessEmulator.CallTimeout);
        var result = await renewal.WaitAsync(TimeSpan.FromSeconds(30));

        result.Outcome.Should().Be(LeaseOutcome.Unknown);
        result.Detail.Should().Contain("gave no answer within 2 s");
    }

    [Fact]
    public async Task Writes_EndpointDown_AreUnknown_AndReadsNoAnswer()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store(maxErrorRetry: 0);
        w.Emulator.Faults.EndpointDown = true;

        var acquire = await store.AcquireAsync(Take("node1", null, "rvn-1", 1));
        var renew = await store.RenewAsync(Group, "node1", 1, "rvn-2");
        var release = await store.ReleaseAsync(Group, "node1", 1, "rvn-2");
        var read = await store.ReadAsync(Group);

        new[] { acquire, renew, release }.Should().OnlyContain(r => r.Outcome == LeaseOutcome.Unknown && r.Detail.Contains("gave no usable answer"));
        read.Answered.Should().BeFalse();
    }

    [Fact]
    public async Task EveryCall_MissingTable_IsNotHeld_NamingTheTableAndTheFix()
    {
        await using var w = await WitnessEmulator.StartAsync(createTable: false);
        var store = w.Store();

        var writes = new[]
        {
            await store.AcquireAsync(Take("node1", null, "rvn-1", 1)),
            await store.RenewAsync(Group, "node1", 1, "rvn-2"),
            await store.ReleaseAsync(Group, "node1", 1, "rvn-3"),
        };
        var read = await store.ReadAsync(Group);

        writes.Should().OnlyContain(r => r.Outcome == LeaseOutcome.NotHeld && r.Current == null);
        writes[0].Detail.Should().StartWith("PutItem on DynamoDB table 'clusterpro-witness' failed: the table does not exist in this account and region (ResourceNotFoundException: ")
            .And.Contain("Fix: create it with the sample host's witness-init");
        read.Answered.Should().BeFalse();
        read.Detail.Should().StartWith("GetItem on DynamoDB table 'clusterpro-witness' failed: the table does not exist");
    }

    [Fact]
    public async Task AcquireAsync_AccessDenied_IsNotHeld_NamingThePermissions()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();
        w.Emulator.Faults.Deny("PutItem");

        var write = await store.AcquireAsync(Take("node1", null, "rvn-1", 1));

        write.Outcome.Should().Be(LeaseOutcome.NotHeld);
        write.Detail.Should().StartWith("PutItem on DynamoDB table 'clusterpro-witness' is not allowed (AccessDeniedException: User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: dynamodb:PutItem")
            .And.Contain("Fix: allow dynamodb:GetItem, dynamodb:PutItem, dynamodb:UpdateItem and dynamodb:DescribeTable");
        w.Emulator.CountCalls("PutItem").Should().Be(1, "a refusal is not retried");
    }

    [Fact]
    public async Task AcquireAsync_TableWithAnotherKey_IsNotHeld_NamingTheKeyItNeeds()
    {
        await using var w = await WitnessEmulator.StartAsync(key: "pk");

        var write = await w.Store().AcquireAsync(Take("node1", null, "rvn-1", 1));

        write.Outcome.Should().Be(LeaseOutcome.NotHeld);
        write.Detail.Should().Contain("ValidationException").And.Contain("a partition key 'group' of type string (S)");
    }

    [Fact]
    public async Task AnItemThatIsNotALease_ReadsAsNoAnswer_AndAcquiringItIsNotHeld()
    {
        await using var w = await WitnessEmulator.StartAsync();
        await w.Raw.PutItemAsync(new PutItemRequest { TableName = WitnessEmulator.Table, Item = new() { ["group"] = new AttributeValue { S = Group }, ["owner"] = new AttributeValue { S = "someone" } } });
        var store = w.Store();

        var read = await store.ReadAsync(Group);
        var write = await store.AcquireAsync(Take("node1", null, "rvn-1", 1));

        read.Answered.Should().BeFalse("nothing usable is known about the lease");
        read.Detail.Should().Contain("the item for group 'failover1' is not a lease: it needs 'rvn' (a string) and 'epoch' (a number), and has group, owner");
        write.Outcome.Should().Be(LeaseOutcome.NotHeld);
        write.Current.Should().BeNull();
    }

    [Fact]
    public async Task CallerCancellation_Propagates()
    {
        await using var w = await WitnessEmulator.StartAsync();
        var store = w.Store();
        var hang = w.Emulator.Faults.Hang("PutItem", 1);
        using var cts = new CancellationTokenSource();

        var write = store.AcquireAsync(Take("node1", null, "rvn-1", 1), cts.Token);
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await write.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Constructor_WithoutATable_Throws() =>
        FluentActions.Invoking(() => new DynamoDbGroupLeaseStore(new Moq.Mock<Amazon.DynamoDBv2.IAmazonDynamoDB>().Object, new WitnessOptions { Type = "dynamodb" }))
            .Should().Throw<ArgumentException>().WithMessage("WitnessOptions.Table is empty*");

    private static void AssertOneWinner(LeaseWrite[] writes, long epoch)
    {
        writes.Count(x => x.Outcome == LeaseOutcome.Held).Should().Be(1, string.Join(" | ", writes.Select(x => x.Detail)));
        var winner = Array.FindIndex(writes, x => x.Outcome == LeaseOutcome.Held);
        var record = new LeaseRecord(Group, $"node{winner + 1}", $"rvn-{winner + 1}", epoch);
        writes.Where((_, i) => i != winner).Should().OnlyContain(x => x.Outcome == LeaseOutcome.NotHeld && x.Current == record);
    }
}
