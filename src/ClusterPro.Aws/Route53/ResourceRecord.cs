namespace ClusterPro.Aws.Route53;

/// <summary>One value of a record set.</summary>
internal sealed class ResourceRecord
{
    /// <summary>Creates an empty record.</summary>
    public ResourceRecord()
    {
    }

    /// <summary>Creates a record with a value.</summary>
    /// <param name="value">The value.</param>
    public ResourceRecord(string value) => Value = value;

    /// <summary>The value (e.g. an IPv4 address).</summary>
    public string Value { get; set; } = string.Empty;
}
