namespace ClusterPro.Aws.Route53;

/// <summary>A submitted change.</summary>
internal sealed class ChangeInfo
{
    /// <summary>The change ID (<c>/change/C…</c>).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>PENDING or INSYNC.</summary>
    public ChangeStatus Status { get; set; } = ChangeStatus.PENDING;

    /// <summary>When it was submitted.</summary>
    public DateTime SubmittedAt { get; set; }

    /// <summary>The batch's comment.</summary>
    public string? Comment { get; set; }
}
