using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using System.Globalization;

namespace ClusterPro.Resources;

/// <summary>
/// A setting with a common value and optional per-node overrides (CLUSTERPRO's "common" and
/// "set individually" values). In configuration it is either a plain value
/// (<c>"VpcId": "vpc-0abc"</c>) or an object
/// (<c>"EniId": { "Common": "…", "Nodes": { "node1": "eni-1", "node2": "eni-2" } }</c>).
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
[TypeConverter(typeof(PerNodeTypeConverter))]
public sealed class PerNode<T>
    where T : class
{
    /// <summary>Creates an empty setting (no common value, no overrides).</summary>
    public PerNode()
    {
    }

    /// <summary>Creates a setting with a common value.</summary>
    /// <param name="common">The value every node uses unless overridden.</param>
    public PerNode(T? common) => Common = common;

    /// <summary>The value every node uses unless it has an override. <see langword="null"/> when unset.</summary>
    public T? Common { get; set; }

    /// <summary>Per-node overrides keyed by node name (case-insensitive).</summary>
    public IDictionary<string, T> Nodes { get; } = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when neither a common value nor any override is set.</summary>
    public bool IsEmpty => Common is null && Nodes.Count == 0;

    /// <summary>Sets an override for one node and returns this instance (fluent).</summary>
    /// <param name="node">The node name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>This setting.</returns>
    public PerNode<T> For(string node, T value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(node);
        Nodes[node] = value;
        return this;
    }

    /// <summary>The value for <paramref name="node"/>: its override, else the common value, else <see langword="null"/>.</summary>
    /// <param name="node">The node name.</param>
    /// <returns>The resolved value or <see langword="null"/>.</returns>
    public T? Resolve(string node) => PerNodeSetting.Resolve(Common, Nodes, node);

    /// <summary>The value for <paramref name="node"/>, or an exception naming the setting and the node.</summary>
    /// <param name="node">The node name.</param>
    /// <param name="settingName">The setting's configuration path, for the message.</param>
    /// <returns>The resolved value.</returns>
    /// <exception cref="InvalidOperationException">No value for that node.</exception>
    public T ResolveRequired(string node, string settingName) =>
        Resolve(node) ?? throw new InvalidOperationException(PerNodeSetting.MissingMessage(settingName, node));

    /// <summary>Implicitly creates a setting with a common value.</summary>
    /// <param name="common">The common value.</param>
    public static implicit operator PerNode<T>(T common) => new(common);

    /// <inheritdoc />
    public override string ToString() =>
        Nodes.Count == 0
            ? $"{Common}"
            : $"{Common} ({string.Join(", ", Nodes.Select(n => $"{n.Key}={n.Value}"))})";
}

/// <summary>Resolution and validation of per-node settings.</summary>
public static class PerNodeSetting
{
    /// <summary>
    /// Resolves a per-node setting: the node's override when present, otherwise the common value.
    /// Node names compare case-insensitively.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="common">The common value, or <see langword="null"/>.</param>
    /// <param name="overrides">Overrides keyed by node name, or <see langword="null"/>.</param>
    /// <param name="node">The node to resolve for.</param>
    /// <returns>The resolved value, or <see langword="null"/> when neither is set.</returns>
    public static T? Resolve<T>(T? common, IEnumerable<KeyValuePair<string, T>>? overrides, string node)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(node);
        if (overrides is not null)
        {
            foreach (var pair in overrides)
            {
                if (string.Equals(pair.Key, node, StringComparison.OrdinalIgnoreCase) && pair.Value is not null)
                {
                    return pair.Value;
                }
            }
        }

        return common;
    }

    /// <summary>
    /// Checks a per-node setting against the configured nodes and adds one message per problem:
    /// a required value missing for a node, or an override for a node that is not in the cluster.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="setting">The setting (may be <see langword="null"/>).</param>
    /// <param name="settingName">Its configuration path, used in the messages (e.g. <c>ClusterPro:Resources:awsvip1:EniId</c>).</param>
    /// <param name="nodes">The cluster's node names.</param>
    /// <param name="required">Whether every node needs a value.</param>
    /// <param name="errors">Receives the messages.</param>
    public static void Validate<T>(PerNode<T>? setting, string settingName, IEnumerable<string> nodes, bool required, ICollection<string> errors)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(errors);
        var nodeList = nodes.ToList();
        if (setting is not null)
        {
            foreach (var overridden in setting.Nodes.Keys)
            {
                if (!nodeList.Contains(overridden, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add($"{settingName}:Nodes:{overridden} overrides the value for node '{overridden}', which is not a cluster node ({string.Join(", ", nodeList)}); fix the node name or remove the override.");
                }
            }
        }

        if (!required)
        {
            return;
        }

        foreach (var node in nodeList)
        {
            if (setting?.Resolve(node) is null || (setting.Resolve(node) is string s && string.IsNullOrWhiteSpace(s)))
            {
                errors.Add(MissingMessage(settingName, node));
            }
        }
    }

    /// <summary>
    /// Sets the common value of each <see cref="PerNode{T}"/> of strings that <paramref name="section"/> gives as a plain
    /// value (<c>"VpcId": "vpc-0abc"</c>). Call it after the configuration binder's source generator has bound
    /// <paramref name="options"/>: the generated binder reads a <see cref="PerNode{T}"/> from an object only
    /// (<c>Common</c>, <c>Nodes</c>), where the reflection binder also reads a plain value through its type converter.
    /// The properties are read from <typeparamref name="TOptions"/>, which the trimmer keeps for the type named at the call.
    /// </summary>
    /// <typeparam name="TOptions">The options type.</typeparam>
    /// <param name="section">The options' configuration section.</param>
    /// <param name="options">The options, already bound.</param>
    public static void ApplyPlainValues<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TOptions>(IConfiguration section, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(section);
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

    internal static string MissingMessage(string settingName, string node) =>
        $"{settingName} has no value for node '{node}'; set a common value ({settingName}) or a per-node value ({settingName}:Nodes:{node}).";
}

/// <summary>
/// Lets the reflection-based configuration binder bind a plain value (<c>"VpcId": "vpc-1"</c>) to a
/// <see cref="PerNode{T}"/> of strings as its common value. (The binder's source generator ignores type converters; the
/// AWS composition binds plain values itself, so both bind alike.)
/// </summary>
internal sealed class PerNodeTypeConverter : TypeConverter
{
    private readonly Type _perNodeType;

    /// <summary>Creates the converter for a closed <see cref="PerNode{T}"/> type.</summary>
    /// <param name="type">The closed generic type.</param>
    public PerNodeTypeConverter(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        _perNodeType = type;
    }

    /// <inheritdoc />
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) && _perNodeType == typeof(PerNode<string>) || base.CanConvertFrom(context, sourceType);

    /// <inheritdoc />
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text && _perNodeType == typeof(PerNode<string>) ? new PerNode<string>(text) : base.ConvertFrom(context, culture, value);
}
