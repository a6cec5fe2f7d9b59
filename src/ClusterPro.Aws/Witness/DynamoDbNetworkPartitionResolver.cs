using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Internal;
using ClusterPro.DependencyInjection;
using ClusterPro.Partition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static ClusterPro.Aws.Witness.LeaseItem;

namespace ClusterPro.Aws.Witness;

/// <summary>
/// Network-partition resolution on the witness table: reachable when a conditional write to this node's own probe item
/// (<c>group</c> = <c>probe:&lt;node&gt;</c>) succeeds within the call timeout — the same path, endpoint and permissions
/// the leases need; unreachable otherwise (no answer, throttled beyond the SDK's retries, refused). The write's
/// condition, <c>attribute_not_exists(#owner)</c>, only fails if the probe item were a lease, so a probe never touches one.
/// For hosts that compose their own failover managers: pass it in the resolvers of
/// <see cref="ClusterProFactory.CreateFailoverManager"/> (which then replaces the configured HTTP and ping resolvers).
/// </summary>
public sealed class DynamoDbNetworkPartitionResolver : INetworkPartitionResolver
{
    private readonly IAmazonDynamoDB _client;
    private readonly string _table;
    private readonly string _node;
    private readonly AwsCall _call;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the resolver.</summary>
    /// <param name="name">Its name (e.g. <c>dynamodb</c>).</param>
    /// <param name="nodeName">The node it probes for: its probe item is <c>probe:&lt;node&gt;</c>.</param>
    /// <param name="client">The DynamoDB client.</param>
    /// <param name="table">The witness table.</param>
    /// <param name="timeout">The bound on one probe (the witness's <c>AwsCallTimeout</c>).</param>
    /// <param name="timeProvider">The clock of the timeout. <value>Default: the system clock.</value></param>
    /// <param name="logger">The logger. <value>Default: none.</value></param>
    internal DynamoDbNetworkPartitionResolver(string name, string nodeName, IAmazonDynamoDB client, string table, TimeSpan timeout, TimeProvider? timeProvider = null, ILogger<DynamoDbNetworkPartitionResolver>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(table);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Name = name;
        _node = nodeName;
        _client = client;
        _table = table;
        _time = timeProvider ?? TimeProvider.System;
        _call = new AwsCall(timeout, _time);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The key of this node's probe item.</summary>
    public string ProbeKey => ProbePrefix + _node;

    /// <summary>
    /// The resolver for <paramref name="nodeName"/> on the configured witness: the table and call timeout of
    /// <c>ClusterPro:Witness</c>, the <see cref="IAmazonDynamoDB"/>, clock and logging of <paramref name="services"/>
    /// (after <see cref="DynamoDbWitnessBuilderExtensions.AddDynamoDbWitness"/> or <c>AddAwsFromConfiguration</c>).
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="nodeName">The node.</param>
    /// <param name="name">The resolver's name. <value>Default: <c>dynamodb</c>.</value></param>
    /// <returns>The resolver.</returns>
    /// <exception cref="InvalidOperationException"><c>ClusterPro:Witness:Table</c> is not set.</exception>
    public static DynamoDbNetworkPartitionResolver Create(IServiceProvider services, string nodeName, string name = "dynamodb")
    {
        ArgumentNullException.ThrowIfNull(services);
        var witness = services.GetRequiredService<IOptions<ClusterProOptions>>().Value.Witness;
        if (string.IsNullOrWhiteSpace(witness.Table))
        {
            throw new InvalidOperationException($"{ClusterProOptions.SectionName}:Witness:Table is not set; the DynamoDB network-partition resolver probes the witness table (set it, and add the witness with AddDynamoDbWitness).");
        }

        return new DynamoDbNetworkPartitionResolver(name, nodeName, services.GetRequiredService<IAmazonDynamoDB>(), witness.Table, witness.AwsCallTimeout, services.Time(), services.Logger<DynamoDbNetworkPartitionResolver>());
    }

    /// <inheritdoc />
    public async Task<PartitionProbeResult> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var started = _time.GetTimestamp();
        var update = new UpdateItemRequest
        {
            TableName = _table,
            Key = Key(ProbeKey),
            UpdateExpression = "SET #by = :node, #at = :now",
            ConditionExpression = "attribute_not_exists(#owner)",
            ExpressionAttributeNames = new Dictionary<string, string>(StringComparer.Ordinal) { ["#by"] = UpdatedBy, ["#at"] = UpdatedAt, ["#owner"] = Owner },
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(StringComparer.Ordinal) { [":node"] = S(_node), [":now"] = S(Now(_time)) },
        };
        string detail;
        try
        {
            await _call.RunAsync(ct => _client.UpdateItemAsync(update, ct), cancellationToken).ConfigureAwait(false);
            return new PartitionProbeResult(Name, PartitionProbeStatus.Reachable, string.Create(CultureInfo.InvariantCulture, $"UpdateItem of {ProbeKey} in DynamoDB table '{_table}' succeeded in {_time.GetElapsedTime(started).TotalMilliseconds:0} ms."));
        }
        catch (AwsCallException failure) when (failure.InnerException is ConditionalCheckFailedException)
        {
            detail = $"UpdateItem of {ProbeKey} in DynamoDB table '{_table}' was refused: that item holds a lease. Fix: rename the group '{ProbeKey}' (a configured group name never holds ':').";
            Log.WitnessRefused(_logger, "probe", ProbeKey, detail);
        }
        catch (AwsCallException failure) when (WitnessFailures.Refusal(failure) is { } refused)
        {
            detail = WitnessFailures.Refused("UpdateItem", _table, refused);
            Log.WitnessRefused(_logger, "probe", ProbeKey, detail);
        }
        catch (AwsCallException failure)
        {
            detail = WitnessFailures.NoAnswer("UpdateItem", _table, failure, _call.Timeout) + ".";
            Log.WitnessNoAnswer(_logger, "probe", ProbeKey, detail);
        }

        return new PartitionProbeResult(Name, PartitionProbeStatus.Unreachable, detail);
    }
}
