using Amazon.Runtime;

namespace ClusterPro.Aws.Route53;

/// <summary>A change's status (as in AWSSDK.Route53).</summary>
/// <param name="value">The wire value.</param>
internal sealed class ChangeStatus(string value) : ConstantClass(value)
{
    /// <summary>PENDING.</summary>
    public static readonly ChangeStatus PENDING = new("PENDING");

    /// <summary>INSYNC.</summary>
    public static readonly ChangeStatus INSYNC = new("INSYNC");

    /// <summary>The status for a wire value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The status.</returns>
    public static ChangeStatus FindValue(string value) => value == "INSYNC" ? INSYNC : value == "PENDING" ? PENDING : new ChangeStatus(value);
}
