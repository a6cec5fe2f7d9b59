namespace ClusterPro.Aws.Route53;

/// <summary>A change batch.</summary>
internal sealed class ChangeBatch
{
    /// <summary>An optional comment.</summary>
    public string? Comment { get; set; }

    /// <summary>The changes, applied all or nothing.</summary>
    public List<Change> Changes { get; set; } = [];
}
