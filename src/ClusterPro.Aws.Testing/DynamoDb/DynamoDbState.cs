namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>One region's DynamoDB tables. Callers hold the emulator's state lock.</summary>
internal sealed class DynamoDbState(string region)
{
    public string Region { get; } = region;

    public Dictionary<string, DynamoDbTable> Tables { get; } = new(StringComparer.Ordinal);

    public DynamoDbTable Table(string name) =>
        Tables.TryGetValue(name, out var table) ? table : throw new DynamoDbException("ResourceNotFoundException", $"Requested resource not found: Table: {name} not found");
}
