namespace ClusterPro.Witness;

/// <summary>
/// The cluster's witness (<c>ClusterPro:Witness</c>): one lease per group in a strongly consistent store, so that two
/// nodes that cannot hear each other never both hold a group, with or without fencing. Off unless <see cref="Type"/> is set.
/// </summary>
public sealed class WitnessOptions
{
    /// <summary>The witness kind: empty for none, <c>dynamodb</c> for a DynamoDB table (ClusterPro.Aws). <value>Default: none.</value></summary>
    public string? Type { get; set; }

    /// <summary>The table (or other store name) holding the leases.</summary>
    public string? Table { get; set; }

    /// <summary>
    /// How long a lease lasts without renewal. The owner renews every third of it and releases its groups before it can
    /// run out (a safety margin of <see cref="AwsCallTimeout"/> plus a renewal interval); another node takes a lease only
    /// after it has seen the same record version for this long by its own clock. <value>Default: 10 s.</value>
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The bound on one call to the witness. <value>Default: 2 s.</value></summary>
    public TimeSpan AwsCallTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether a witness is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Type);
}
