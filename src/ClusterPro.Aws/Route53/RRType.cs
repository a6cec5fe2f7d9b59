using Amazon.Runtime;

namespace ClusterPro.Aws.Route53;

/// <summary>A record type (as in AWSSDK.Route53).</summary>
/// <param name="value">The wire value.</param>
internal sealed class RRType(string value) : ConstantClass(value)
{
    /// <summary>A.</summary>
    public static readonly RRType A = new("A");

    /// <summary>AAAA.</summary>
    public static readonly RRType AAAA = new("AAAA");

    /// <summary>CNAME.</summary>
    public static readonly RRType CNAME = new("CNAME");

    /// <summary>The type for a wire value.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The type.</returns>
    public static RRType FindValue(string value) => value switch { "A" => A, "AAAA" => AAAA, "CNAME" => CNAME, _ => new RRType(value) };
}
