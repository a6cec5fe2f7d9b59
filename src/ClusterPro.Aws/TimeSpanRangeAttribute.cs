using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ClusterPro.Aws;

/// <summary>
/// A time span within bounds (<c>[Range(typeof(TimeSpan), …)]</c> without its type converter, which is not safe to trim).
/// </summary>
/// <param name="minimum">The smallest value, as <c>hh:mm:ss</c>.</param>
/// <param name="maximum">The largest value, as <c>hh:mm:ss</c>.</param>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TimeSpanRangeAttribute(string minimum, string maximum) : ValidationAttribute
{
    /// <summary>The smallest value.</summary>
    public TimeSpan Minimum { get; } = TimeSpan.Parse(minimum, CultureInfo.InvariantCulture);

    /// <summary>The largest value.</summary>
    public TimeSpan Maximum { get; } = TimeSpan.Parse(maximum, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override bool IsValid(object? value) => value is not TimeSpan span || span >= Minimum && span <= Maximum;
}
