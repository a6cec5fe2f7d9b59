using Amazon.DynamoDBv2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Witness;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>witness-init</c>: creates the DynamoDB witness table named by <c>ClusterPro:Witness:Table</c> (on-demand,
/// partition key <c>group</c> of type S, deletion protection on) unless it exists; idempotent.
/// </summary>
internal static class WitnessInit
{
    public const string ExitCodes = "Exit 0: the table is ready (created now, or there already with the witness's key); 1: it is not (a table with another key, a refusal, no answer), with the cause and the fix; 64: the configuration has no DynamoDB witness.";

    public static async Task<int> RunAsync(string config, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        await using var services = NodeServices.Build(NodeServices.Load(config), LogLevel.Critical);
        var witness = services.GetRequiredService<IOptions<ClusterProOptions>>().Value.Witness;
        if (!ClusterChecks.IsDynamoDbWitness(witness) || string.IsNullOrWhiteSpace(witness.Table))
        {
            throw new UsageException(
                $"--config {config}: ClusterPro:Witness:Type is {(string.IsNullOrWhiteSpace(witness.Type) ? "not set" : $"'{witness.Type}'")}, so there is no DynamoDB witness table to create. "
                + "Fix: add \"Witness\": { \"Type\": \"dynamodb\", \"Table\": \"clusterpro-witness\" } to the ClusterPro section.");
        }

        var setup = await DynamoDbWitnessTable.EnsureAsync(services.GetRequiredService<IAmazonDynamoDB>(), witness.Table, cancellationToken: cancellationToken);
        await (setup.Succeeded ? output : error).WriteLineAsync(setup.Detail);
        return setup.Succeeded ? 0 : 1;
    }
}
