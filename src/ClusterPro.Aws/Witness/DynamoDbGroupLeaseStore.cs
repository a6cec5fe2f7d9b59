using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ClusterPro.Aws.Internal;
using ClusterPro.Witness;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static ClusterPro.Aws.Witness.LeaseItem;

namespace ClusterPro.Aws.Witness;

/// <summary>
/// The cluster's witness on a DynamoDB table: one item per group (partition key <c>group</c>, a string) holding the
/// lease — <c>owner</c> (absent once released), <c>rvn</c> (the record version) and <c>epoch</c> — written only by
/// conditional writes, read only by strongly consistent reads.
/// <list type="bullet">
/// <item><description>Acquire: PutItem on condition <c>attribute_not_exists(#group)</c> (no lease seen) or <c>#rvn = :expected</c> (the record version the caller watched).</description></item>
/// <item><description>Renew: UpdateItem <c>SET #rvn</c> on condition <c>#owner = :me AND #epoch = :epoch</c>, so a renewal whose answer was lost does not break the next.</description></item>
/// <item><description>Release: UpdateItem <c>REMOVE #owner SET #rvn</c> on the same condition; the epoch stays.</description></item>
/// </list>
/// A failed condition is <see cref="LeaseOutcome.NotHeld"/> with the item as it is now (<c>ReturnValuesOnConditionCheckFailure</c>
/// <c>ALL_OLD</c>); so is a definite refusal (the table is missing, access denied, an invalid request), with its cause and
/// fix. No usable answer — the call timeout (<see cref="WitnessOptions.AwsCallTimeout"/>, on the injected
/// <see cref="TimeProvider"/>), throttling and 5xx beyond the SDK's retries, network errors — is
/// <see cref="LeaseOutcome.Unknown"/>: the write may have happened. AWS failures never throw; the caller's cancellation does.
/// </summary>
public sealed class DynamoDbGroupLeaseStore : IGroupLeaseStore
{
    private readonly IAmazonDynamoDB _client;
    private readonly AwsCall _call;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _leaseMilliseconds;

    /// <summary>Creates the store.</summary>
    /// <param name="client">The DynamoDB client (from DI: the SDK's credential and region chain, <c>AWS_ENDPOINT_URL_DYNAMODB</c>).</param>
    /// <param name="options">The witness settings: <see cref="WitnessOptions.Table"/>, <see cref="WitnessOptions.AwsCallTimeout"/> and <see cref="WitnessOptions.LeaseDuration"/> (written to each item for operators).</param>
    /// <param name="timeProvider">The clock of the call timeout. <value>Default: the system clock.</value></param>
    /// <param name="logger">The logger. <value>Default: none.</value></param>
    /// <exception cref="ArgumentException">The table is not set or the call timeout is not positive.</exception>
    public DynamoDbGroupLeaseStore(IAmazonDynamoDB client, WitnessOptions options, TimeProvider? timeProvider = null, ILogger<DynamoDbGroupLeaseStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Table))
        {
            throw new ArgumentException("WitnessOptions.Table is empty; name the DynamoDB table that holds the leases.", nameof(options));
        }

        if (options.AwsCallTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("WitnessOptions.AwsCallTimeout must be positive.", nameof(options));
        }

        _client = client;
        Table = options.Table;
        _time = timeProvider ?? TimeProvider.System;
        _call = new AwsCall(options.AwsCallTimeout, _time);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _leaseMilliseconds = (long)options.LeaseDuration.TotalMilliseconds;
    }

    /// <summary>The table holding the leases.</summary>
    public string Table { get; }

    /// <inheritdoc />
    public async Task<LeaseRead> ReadAsync(string group, CancellationToken cancellationToken = default) =>
        (await ReadDetailAsync(group, cancellationToken).ConfigureAwait(false)).Lease;

    /// <summary>
    /// Reads a group's lease item (one strongly consistent GetItem) with the fields written for operators: who wrote it
    /// last, when by the writer's clock, and the lease duration it used. For status displays; nodes decide from
    /// <see cref="ReadAsync"/> only.
    /// </summary>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">Cancellation; propagates. AWS failures do not throw: the lease is not answered, with the cause.</param>
    /// <returns>The lease and the item's operator fields.</returns>
    public async Task<DynamoDbLeaseDetail> ReadDetailAsync(string group, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        GetItemResponse response;
        try
        {
            response = await _call.RunAsync(
                ct => _client.GetItemAsync(new GetItemRequest { TableName = Table, Key = Key(group), ConsistentRead = true }, ct),
                cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException failure)
        {
            return new DynamoDbLeaseDetail(LeaseRead.NoAnswer(Failed("GetItem", group, failure)), null, null, null);
        }

        var (by, at, lease) = Operators(response.Item);
        var record = Parse(group, response.Item, out var problem);
        if (problem is not null)
        {
            var detail = $"GetItem on DynamoDB table '{Table}': {problem}. Fix: keep the witness table for ClusterPro alone (another writer changed this item); delete the item, and the next owner writes it afresh.";
            Log.WitnessRefused(_logger, "GetItem", group, detail);
            return new DynamoDbLeaseDetail(LeaseRead.NoAnswer(detail), by, at, lease);
        }

        return new DynamoDbLeaseDetail(new LeaseRead(true, record, $"GetItem on DynamoDB table '{Table}': {group}: {Describe(record)}."), by, at, lease);
    }

    /// <inheritdoc />
    public Task<LeaseWrite> AcquireAsync(LeaseAcquisition request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Check(request.Group, request.Owner, request.RecordVersion);
        var fresh = request.ExpectedRecordVersion is null;
        var put = new PutItemRequest
        {
            TableName = Table,
            Item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
            {
                [Group] = S(request.Group),
                [Owner] = S(request.Owner),
                [RecordVersion] = S(request.RecordVersion),
                [Epoch] = N(request.Epoch),
                [UpdatedBy] = S(request.Owner),
                [LeaseMilliseconds] = N(_leaseMilliseconds),
                [UpdatedAt] = S(Now(_time)),
            },
            ConditionExpression = fresh ? "attribute_not_exists(#group)" : "#rvn = :expected",
            ExpressionAttributeNames = fresh
                ? new Dictionary<string, string>(StringComparer.Ordinal) { ["#group"] = Group }
                : new Dictionary<string, string>(StringComparer.Ordinal) { ["#rvn"] = RecordVersion },
            ExpressionAttributeValues = fresh ? null : new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":expected"] = S(request.ExpectedRecordVersion!) },
            ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
        };
        var expected = fresh ? "expected no lease" : $"expected rvn {request.ExpectedRecordVersion}";
        return WriteAsync(
            "PutItem",
            "acquire",
            request.Owner,
            new LeaseRecord(request.Group, request.Owner, request.RecordVersion, request.Epoch),
            expected,
            ct => _client.PutItemAsync(put, ct),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<LeaseWrite> RenewAsync(string group, string owner, long epoch, string recordVersion, CancellationToken cancellationToken = default)
    {
        Check(group, owner, recordVersion);
        var update = OwnerUpdate(group, owner, epoch, recordVersion, "SET #rvn = :rvn, #updated_by = :owner, #lease_ms = :lease_ms, #updated_at = :now");
        update.ExpressionAttributeNames["#lease_ms"] = LeaseMilliseconds;
        update.ExpressionAttributeValues[":lease_ms"] = N(_leaseMilliseconds);
        return WriteAsync(
            "UpdateItem",
            "renew",
            owner,
            new LeaseRecord(group, owner, recordVersion, epoch),
            $"expected owner {owner} in epoch {epoch}",
            ct => _client.UpdateItemAsync(update, ct),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<LeaseWrite> ReleaseAsync(string group, string owner, long epoch, string recordVersion, CancellationToken cancellationToken = default)
    {
        Check(group, owner, recordVersion);
        var update = OwnerUpdate(group, owner, epoch, recordVersion, "REMOVE #owner SET #rvn = :rvn, #updated_by = :owner, #updated_at = :now");
        return WriteAsync(
            "UpdateItem",
            "release",
            owner,
            new LeaseRecord(group, null, recordVersion, epoch),
            $"expected owner {owner} in epoch {epoch}",
            ct => _client.UpdateItemAsync(update, ct),
            cancellationToken);
    }

    private static void Check(string group, string owner, string recordVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentException.ThrowIfNullOrEmpty(recordVersion);
    }

    /// <summary>An update of the caller's own lease: on condition that it still owns it in <paramref name="epoch"/>.</summary>
    private UpdateItemRequest OwnerUpdate(string group, string owner, long epoch, string recordVersion, string updateExpression) => new()
    {
        TableName = Table,
        Key = Key(group),
        UpdateExpression = updateExpression,
        ConditionExpression = "#owner = :owner AND #epoch = :epoch",
        ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["#owner"] = Owner,
            ["#epoch"] = Epoch,
            ["#rvn"] = RecordVersion,
            ["#updated_by"] = UpdatedBy,
            ["#updated_at"] = UpdatedAt,
        },
        ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [":owner"] = S(owner),
            [":epoch"] = N(epoch),
            [":rvn"] = S(recordVersion),
            [":now"] = S(Now(_time)),
        },
        ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
    };

    /// <summary>
    /// One conditional write through the call path. A failed condition whose current item is exactly the write asked
    /// for is this call's own write, applied by an earlier attempt whose answer was lost (the SDK retried it): held.
    /// </summary>
    private async Task<LeaseWrite> WriteAsync<T>(string operation, string verb, string owner, LeaseRecord intended, string expected, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var subject = $"{intended.Group} by {owner}";
        try
        {
            await _call.RunAsync(call, cancellationToken).ConfigureAwait(false);
            return Held(operation, verb, owner, intended, string.Empty);
        }
        catch (AwsCallException failure) when (failure.InnerException is ConditionalCheckFailedException refused)
        {
            var current = Parse(intended.Group, refused.Item, out var problem);
            if (current is not null && current == intended)
            {
                return Held(operation, verb, owner, intended, " (applied by an earlier attempt of this call whose answer was lost)");
            }

            var detail = $"{operation} on DynamoDB table '{Table}' to {verb} {intended.Group} for {owner}: the condition failed ({expected}); the lease is now: {problem ?? Describe(current)}.";
            Log.LeaseNotHeld(_logger, verb == "acquire" ? LogLevel.Information : LogLevel.Warning, verb, intended.Group, owner, detail);
            return new LeaseWrite(LeaseOutcome.NotHeld, current, detail);
        }
        catch (AwsCallException failure) when (WitnessFailures.Refusal(failure) is not null)
        {
            return new LeaseWrite(LeaseOutcome.NotHeld, null, Failed(operation, subject, failure));
        }
        catch (AwsCallException failure)
        {
            return LeaseWrite.Unknown(Failed(operation, subject, failure) + "; the write may or may not have happened");
        }
    }

    private LeaseWrite Held(string operation, string verb, string owner, LeaseRecord intended, string note)
    {
        var (did, log) = verb switch
        {
            "acquire" => ($"{owner} holds {intended.Group}", (Action<ILogger, string, string, long, string>)Log.LeaseAcquired),
            "renew" => ($"{owner} renewed {intended.Group}", Log.LeaseRenewed),
            _ => ($"{owner} released {intended.Group}", Log.LeaseReleased),
        };
        log(_logger, intended.Group, owner, intended.Epoch, intended.RecordVersion);
        return new LeaseWrite(LeaseOutcome.Held, null, $"{operation} on DynamoDB table '{Table}': {did} ({Describe(intended)}){note}.");
    }

    /// <summary>A failure without a usable lease answer, logged: a refusal (with its fix) or no answer.</summary>
    private string Failed(string operation, string subject, AwsCallException failure)
    {
        if (WitnessFailures.Refusal(failure) is { } refused)
        {
            var refusal = WitnessFailures.Refused(operation, Table, refused);
            Log.WitnessRefused(_logger, operation, subject, refusal);
            return refusal;
        }

        var detail = WitnessFailures.NoAnswer(operation, Table, failure, _call.Timeout);
        Log.WitnessNoAnswer(_logger, operation, subject, detail);
        return detail;
    }
}
