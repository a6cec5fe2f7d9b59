using Amazon.Runtime;

namespace ClusterPro.Aws.Route53;

/// <summary>A change action (as in AWSSDK.Route53).</summary>
/// <param name="value">The wire value.</param>
internal sealed class ChangeAction(string value) : ConstantClass(value)
{
    /// <summary>CREATE.</summary>
    public static readonly ChangeAction CREATE = new("CREATE");

    /// <summary>DELETE.</summary>
    public static readonly ChangeAction DELETE = new("DELETE");

    /// <summary>UPSERT.</summary>
    public static readonly ChangeAction UPSERT = new("UPSERT");
}
