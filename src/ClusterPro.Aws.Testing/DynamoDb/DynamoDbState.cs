namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>One region's DynamoDB tables. Callers hold the emulator's state lock.</summary>
internal sealed class DynamoDbState(string region)
{
    public string Region { get; } = region;

    public Dictionary<string, DynamoDbTable> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>A table for a control-plane call (DescribeTable, UpdateTable …): DynamoDB names the table it did not find.</summary>
    public DynamoDbTable Table(string name) =>
        Tables.TryGetValue(name, out var table) ? table : throw new DynamoDbException("ResourceNotFoundException", $"Requested resource not found: Table: {name} not found");

    /// <summary>A table for an item call (GetItem, Query …): DynamoDB's message names nothing.</summary>
    public DynamoDbTable ItemTable(string name) =>
        Tables.TryGetValue(name, out var table) ? table : throw new DynamoDbException("ResourceNotFoundException", "Requested resource not found");

    /// <summary>The table an ARN names (for tags), in this region.</summary>
    public DynamoDbTable TableByArn(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[2] != "dynamodb" || !parts[5].StartsWith("table/", StringComparison.Ordinal))
        {
            throw DynamoDbException.Validation($"Invalid TableArn: Invalid ResourceArn provided as input {arn}");
        }

        return Tables.Values.FirstOrDefault(t => t.Arn == arn)
            ?? throw new DynamoDbException("ResourceNotFoundException", $"Requested resource not found: ResourceArn: {arn} not found");
    }
}
