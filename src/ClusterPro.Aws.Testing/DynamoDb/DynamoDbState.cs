namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>The emulator region's DynamoDB tables. Callers hold the emulator's state lock.</summary>
internal sealed class DynamoDbState
{
    public Dictionary<string, DynamoDbTable> Tables { get; } = new(StringComparer.Ordinal);

    public DynamoDbTable Table(string name) =>
        Tables.TryGetValue(name, out var table) ? table : throw new DynamoDbException("ResourceNotFoundException", $"Requested resource not found: Table: {name} not found");
}
