using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Witness;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>What several commands ask of the configuration, asked in one place so they say the same.</summary>
internal static class ClusterChecks
{
    /// <summary>Throws the usage error when <paramref name="node"/> is not one of <paramref name="nodes"/> (ClusterPro:Nodes).</summary>
    public static void RequireNode(IReadOnlyList<string> nodes, string node)
    {
        if (!nodes.Contains(node, StringComparer.OrdinalIgnoreCase))
        {
            throw new UsageException($"--node {node} is not a node of ClusterPro:Nodes ({string.Join(", ", nodes)}).");
        }
    }

    /// <summary>Whether the witness is the DynamoDB one (<c>ClusterPro:Witness:Type</c> <c>dynamodb</c>, any case).</summary>
    public static bool IsDynamoDbWitness(WitnessOptions witness) =>
        string.Equals(witness.Type, DynamoDbWitnessBuilderExtensions.WitnessType, StringComparison.OrdinalIgnoreCase);
}
