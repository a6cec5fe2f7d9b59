using System.Diagnostics.CodeAnalysis;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;

namespace ClusterPro.Aws.DependencyInjection;

/// <summary>
/// A per-node setting written as a plain value (<c>"VpcId": "vpc-0abc"</c>) is its common value. The reflection binder
/// reads it through <see cref="PerNode{T}"/>'s type converter; the binder's source generator binds a
/// <see cref="PerNode{T}"/> from an object only (<c>Common</c>, <c>Nodes</c>), so the plain values are applied here,
/// after it, from the options' public properties (which the trimmer keeps for the options types named at the call).
/// </summary>
internal static class PerNodeBinding
{
    /// <summary>Sets the common value of each <see cref="PerNode{T}"/> setting that <paramref name="section"/> gives as a plain value.</summary>
    public static void ApplyPlainValues<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(IConfiguration section, TOptions options)
    {
        foreach (var property in typeof(TOptions).GetProperties())
        {
            if (property.PropertyType != typeof(PerNode<string>)
                || section.GetSection(property.Name) is not { Value: { } value } child
                || child.GetChildren().Any())
            {
                continue;
            }

            if (property.GetValue(options) is PerNode<string> setting)
            {
                setting.Common = value;
            }
            else if (property.CanWrite)
            {
                property.SetValue(options, new PerNode<string>(value));
            }
        }
    }
}
