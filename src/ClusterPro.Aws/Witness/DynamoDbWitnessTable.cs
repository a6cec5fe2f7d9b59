using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ClusterPro.Aws.Internal;
using static ClusterPro.Aws.Witness.LeaseItem;

namespace ClusterPro.Aws.Witness;

/// <summary>
/// The witness table itself: creating it once (the sample host's <c>witness-init</c>) and checking it before a node runs
/// (<c>doctor</c>). The table is on-demand (<c>PAY_PER_REQUEST</c>: a few small writes per group every few seconds),
/// keyed by one partition key <c>group</c> of type string, with deletion protection on — deleting it makes every node
/// give its groups up.
/// </summary>
public static class DynamoDbWitnessTable
{
    /// <summary>The longest wait for a new table to become <c>ACTIVE</c>, unless told otherwise: 2 minutes.</summary>
    public static readonly TimeSpan DefaultActiveTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The bound on each DynamoDB call of the set-up and the checks: 30 s.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The key of the item the permission checks address: never a lease (a configured group name never holds ':').</summary>
    private const string CheckKey = "doctor:permission-check";

    /// <summary>
    /// Creates the witness table unless it exists (idempotent): on-demand, partition key <c>group</c> (S), deletion
    /// protection on; then waits, bounded, until it is <c>ACTIVE</c>. An existing table with the witness's key is fine
    /// (its other settings are left alone); one with another key is an error naming the table, the key it has and the key
    /// it needs. Another process creating the same table at the same time is fine too. AWS failures are results, not exceptions.
    /// </summary>
    /// <param name="client">The DynamoDB client (credentials allowed <c>dynamodb:CreateTable</c> and <c>dynamodb:DescribeTable</c> on the table: <see cref="Iam.AwsIamPolicy.SetupStatements"/>).</param>
    /// <param name="table">The table name (<c>ClusterPro:Witness:Table</c>).</param>
    /// <param name="activeTimeout">The longest wait for <c>ACTIVE</c>. <value>Default: <see cref="DefaultActiveTimeout"/>.</value></param>
    /// <param name="timeProvider">The clock of the waits and call timeouts. <value>Default: the system clock.</value></param>
    /// <param name="cancellationToken">Cancellation; propagates.</param>
    /// <returns>Whether the table is ready, whether this call created it, and what happened.</returns>
    public static async Task<WitnessTableSetup> EnsureAsync(IAmazonDynamoDB client, string table, TimeSpan? activeTimeout = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (NameProblem(table) is { } problem)
        {
            return new WitnessTableSetup(false, false, problem);
        }

        var time = timeProvider ?? TimeProvider.System;
        var call = new AwsCall(CallTimeout, time);
        var started = time.GetTimestamp();
        var created = false;
        TableDescription? description;
        try
        {
            description = await DescribeAsync(client, call, table, cancellationToken).ConfigureAwait(false);
            if (description is null)
            {
                try
                {
                    description = (await call.RunAsync(ct => client.CreateTableAsync(CreateRequest(table), ct), cancellationToken).ConfigureAwait(false)).TableDescription;
                    created = true;
                }
                catch (AwsCallException failure) when (failure.ErrorCode == "ResourceInUseException")
                {
                    // Created meanwhile by someone else (another node's witness-init).
                    description = await DescribeAsync(client, call, table, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (AwsCallException failure)
        {
            return new WitnessTableSetup(false, false, SetupFailure(table, failure));
        }

        if (description is null)
        {
            return new WitnessTableSetup(false, false, $"DynamoDB table '{table}' was neither found nor created; run witness-init again.");
        }

        if (KeyProblem(table, description) is { } wrong)
        {
            return new WitnessTableSetup(false, false, wrong);
        }

        PollOutcome<TableDescription?> active;
        try
        {
            active = await Poll.UntilAsync(
                async (attempt, ct) => attempt == 0 && description.TableStatus == TableStatus.ACTIVE ? description : await DescribeAsync(client, call, table, ct).ConfigureAwait(false),
                d => d?.TableStatus == TableStatus.ACTIVE,
                TimeSpan.FromSeconds(1),
                TimeSpan.FromSeconds(5),
                activeTimeout ?? DefaultActiveTimeout,
                time,
                cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException failure)
        {
            return new WitnessTableSetup(false, created, SetupFailure(table, failure));
        }

        var seconds = time.GetElapsedTime(started).TotalSeconds;
        if (!active.Reached)
        {
            var bound = (activeTimeout ?? DefaultActiveTimeout).TotalSeconds;
            return new WitnessTableSetup(false, created, string.Create(CultureInfo.InvariantCulture, $"DynamoDB table '{table}' is still {active.Last?.TableStatus?.Value ?? "gone"} after waiting {bound:0.#} s for it to be ACTIVE. Fix: run witness-init again in a minute (it waits again; the table is not created twice)."));
        }

        return new WitnessTableSetup(true, created, created
            ? string.Create(CultureInfo.InvariantCulture, $"Created DynamoDB table '{table}' (on-demand, partition key '{Group}' of type S, deletion protection on); ACTIVE after {seconds:0.#} s.")
            : $"DynamoDB table '{table}' exists with the witness's key (partition key '{Group}' of type S) and is ACTIVE; left as it is.");
    }

    /// <summary>
    /// Checks the witness table before a node runs: it exists and is <c>ACTIVE</c> (deletion protection off is a warning),
    /// its key is the witness's, and this node may GetItem, PutItem and UpdateItem on it — the writes are conditional on
    /// something that never holds, so they are authorised and then refused, and nothing is written.
    /// </summary>
    /// <param name="client">The DynamoDB client, with the node's credentials.</param>
    /// <param name="table">The table name (<c>ClusterPro:Witness:Table</c>).</param>
    /// <param name="timeProvider">The clock of the call timeouts. <value>Default: the system clock.</value></param>
    /// <param name="cancellationToken">Cancellation; propagates.</param>
    /// <returns>One line per check; a failure ends with its fix, and later checks that depend on it are skipped.</returns>
    public static async Task<IReadOnlyList<WitnessCheck>> CheckAsync(IAmazonDynamoDB client, string table, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var what = $"witness table {table}";
        if (NameProblem(table) is { } problem)
        {
            return [new WitnessCheck(WitnessCheckVerdict.Fail, what, problem)];
        }

        var call = new AwsCall(CallTimeout, timeProvider ?? TimeProvider.System);
        var checks = new List<WitnessCheck>();
        TableDescription? description;
        try
        {
            description = await DescribeAsync(client, call, table, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException failure)
        {
            checks.Add(new WitnessCheck(WitnessCheckVerdict.Fail, what, CheckFailure("DescribeTable", table, failure)));
            return checks;
        }

        if (description is null)
        {
            checks.Add(new WitnessCheck(WitnessCheckVerdict.Fail, what, $"DynamoDB table '{table}' does not exist in this account and region. Fix: create it with the sample host's witness-init, or correct ClusterPro:Witness:Table and the region (AWS:Region)."));
            return checks;
        }

        var status = description.TableStatus?.Value ?? "unknown";
        var billing = description.BillingModeSummary?.BillingMode?.Value ?? "PROVISIONED";
        checks.Add(status != "ACTIVE"
            ? new WitnessCheck(WitnessCheckVerdict.Warn, what, $"status {status}, {billing}. Fix: wait until it is ACTIVE (witness-init waits for it).")
            : description.DeletionProtectionEnabled != true
                ? new WitnessCheck(WitnessCheckVerdict.Warn, what, $"ACTIVE, {billing}, deletion protection off: deleting the table makes every node give its groups up. Fix: aws dynamodb update-table --table-name {table} --deletion-protection-enabled")
                : new WitnessCheck(WitnessCheckVerdict.Pass, what, $"ACTIVE, {billing}, deletion protection on"));
        if (KeyProblem(table, description) is { } wrong)
        {
            checks.Add(new WitnessCheck(WitnessCheckVerdict.Fail, $"{what}: key schema", wrong));
            return checks;
        }

        checks.Add(new WitnessCheck(WitnessCheckVerdict.Pass, $"{what}: key schema", $"partition key '{Group}' of type S"));
        var never = new Dictionary<string, string>(StringComparer.Ordinal) { ["#group"] = Group };
        const string Impossible = "attribute_exists(#group) AND attribute_not_exists(#group)";
        await PermissionAsync(checks, what, "GetItem", table, call, ct => client.GetItemAsync(new GetItemRequest { TableName = table, Key = Key(CheckKey), ConsistentRead = true }, ct), cancellationToken).ConfigureAwait(false);
        await PermissionAsync(checks, what, "PutItem", table, call, ct => client.PutItemAsync(new PutItemRequest { TableName = table, Item = Key(CheckKey), ConditionExpression = Impossible, ExpressionAttributeNames = never }, ct), cancellationToken).ConfigureAwait(false);
        await PermissionAsync(
            checks,
            what,
            "UpdateItem",
            table,
            call,
            ct => client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = table,
                    Key = Key(CheckKey),
                    UpdateExpression = "SET #by = :by",
                    ConditionExpression = Impossible,
                    ExpressionAttributeNames = new Dictionary<string, string>(never, StringComparer.Ordinal) { ["#by"] = UpdatedBy },
                    ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":by"] = S("doctor") },
                },
                ct),
            cancellationToken).ConfigureAwait(false);
        return checks;
    }

    internal static CreateTableRequest CreateRequest(string table) => new()
    {
        TableName = table,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        KeySchema = [new KeySchemaElement(Group, KeyType.HASH)],
        AttributeDefinitions = [new AttributeDefinition(Group, ScalarAttributeType.S)],
        DeletionProtectionEnabled = true,
    };

    /// <summary>The table, or <see langword="null"/> when it does not exist.</summary>
    private static async Task<TableDescription?> DescribeAsync(IAmazonDynamoDB client, AwsCall call, string table, CancellationToken cancellationToken)
    {
        try
        {
            return (await call.RunAsync(ct => client.DescribeTableAsync(new DescribeTableRequest { TableName = table }, ct), cancellationToken).ConfigureAwait(false)).Table;
        }
        catch (AwsCallException failure) when (failure.ErrorCode == "ResourceNotFoundException")
        {
            return null;
        }
    }

    private static async Task PermissionAsync<T>(List<WitnessCheck> checks, string what, string action, string table, AwsCall call, Func<CancellationToken, Task<T>> probe, CancellationToken cancellationToken)
    {
        var check = $"{what}: IAM allows dynamodb:{action}";
        try
        {
            await call.RunAsync(probe, cancellationToken).ConfigureAwait(false);
            checks.Add(new WitnessCheck(WitnessCheckVerdict.Pass, check, "allowed"));
        }
        catch (AwsCallException failure) when (failure.InnerException is ConditionalCheckFailedException)
        {
            checks.Add(new WitnessCheck(WitnessCheckVerdict.Pass, check, "allowed (a write conditional on something that never holds: nothing was written)"));
        }
        catch (AwsCallException failure)
        {
            checks.Add(new WitnessCheck(WitnessCheckVerdict.Fail, check, CheckFailure(action, table, failure)));
        }
    }

    private static string? NameProblem(string? table) =>
        string.IsNullOrWhiteSpace(table)
            ? "ClusterPro:Witness:Table is empty; name the DynamoDB table that holds the leases (e.g. clusterpro-witness)."
            : DynamoDbWitnessValidator.TableNameProblem(table) is { } problem ? $"ClusterPro:Witness:Table is '{table}', {problem}" : null;

    /// <summary>What is wrong with the table's key, naming what it has and what it needs, or <see langword="null"/>.</summary>
    private static string? KeyProblem(string table, TableDescription description)
    {
        var keys = description.KeySchema ?? [];
        var types = (description.AttributeDefinitions ?? []).ToDictionary(a => a.AttributeName, a => a.AttributeType?.Value ?? "?", StringComparer.Ordinal);
        if (keys.Count == 1 && keys[0].AttributeName == Group && keys[0].KeyType == KeyType.HASH && types.GetValueOrDefault(Group) == "S")
        {
            return null;
        }

        var has = keys.Count == 0
            ? "no key"
            : string.Join(", ", keys.Select(k => $"{(k.KeyType == KeyType.HASH ? "partition" : "sort")} key '{k.AttributeName}' of type {types.GetValueOrDefault(k.AttributeName, "?")}"));
        return $"DynamoDB table '{table}' has {has}, but the witness needs exactly one key: partition key '{Group}' of type S (string), no sort key. Fix: name another table in ClusterPro:Witness:Table (witness-init creates it), or delete '{table}' if nothing else uses it.";
    }

    private static string SetupFailure(string table, AwsCallException failure)
    {
        if (WitnessFailures.Refusal(failure) is { } refused)
        {
            return refused.ErrorCode is "AccessDeniedException"
                ? $"Setting up DynamoDB table '{table}' is not allowed ({refused.ErrorCode}: {refused.Message}). Fix: run witness-init with credentials allowed dynamodb:CreateTable and dynamodb:DescribeTable on {WitnessPolicy.Arn("<region>", table)} (the set-up statement of the IAM policy: AwsIamPolicy.ToJson(includeSetup: true)), or create the table yourself with partition key '{Group}' (S)."
                : WitnessFailures.Refused("DescribeTable or CreateTable", table, refused);
        }

        return WitnessFailures.NoAnswer("DescribeTable or CreateTable", table, failure, CallTimeout, "the set-up's call bound") + ". Fix: check that this machine reaches the DynamoDB endpoint (AWS_ENDPOINT_URL_DYNAMODB, NAT, proxy or a VPC gateway endpoint for DynamoDB), then run witness-init again.";
    }

    private static string CheckFailure(string action, string table, AwsCallException failure) =>
        WitnessFailures.Refusal(failure) is { } refused
            ? WitnessFailures.Refused(action, table, refused)
            : WitnessFailures.NoAnswer(action, table, failure, CallTimeout, "the check's call bound") + ". Fix: check that this node reaches the DynamoDB endpoint (NAT, proxy or a VPC gateway endpoint for DynamoDB).";
}
