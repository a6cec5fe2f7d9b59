namespace ClusterPro.Aws.Route53;

/// <summary>One change of a batch.</summary>
internal sealed class Change
{
    /// <summary>Creates an empty change.</summary>
    public Change()
    {
    }

    /// <summary>Creates a change.</summary>
    /// <param name="action">The action.</param>
    /// <param name="set">The record set.</param>
    public Change(ChangeAction action, ResourceRecordSet set)
    {
        Action = action;
        ResourceRecordSet = set;
    }

    /// <summary>The action.</summary>
    public ChangeAction Action { get; set; } = ChangeAction.UPSERT;

    /// <summary>The record set.</summary>
    public ResourceRecordSet ResourceRecordSet { get; set; } = new();
}
