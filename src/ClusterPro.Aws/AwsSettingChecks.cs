using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using ClusterPro.Resources;

namespace ClusterPro.Aws;

/// <summary>Checks of AWS settings whose messages name the setting and the fix.</summary>
internal static partial class AwsSettingChecks
{
    /// <summary>Checks a per-node AWS ID setting: present for every node and of the shape AWS guarantees (<c>prefix-</c> and lower-case hex digits: 8 or 17 today, any length from 8 accepted).</summary>
    /// <param name="setting">The setting.</param>
    /// <param name="path">Its configuration path.</param>
    /// <param name="prefix">The ID prefix (<c>vpc</c>, <c>eni</c>, <c>eipalloc</c>, <c>i</c>).</param>
    /// <param name="nodes">The cluster's nodes.</param>
    /// <param name="errors">Receives the messages.</param>
    public static void CheckId(PerNode<string>? setting, string path, string prefix, IReadOnlyList<string> nodes, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        PerNodeSetting.Validate(setting, path, nodes, required: true, errors);
        if (setting is null)
        {
            return;
        }

        foreach (var (where, value) in new[] { (path, setting.Common) }.Concat(setting.Nodes.Select(n => ($"{path}:Nodes:{n.Key}", (string?)n.Value))))
        {
            CheckIdValue(value, where, prefix, errors);
        }
    }

    /// <summary>Checks one AWS ID value (skips null).</summary>
    /// <param name="value">The value.</param>
    /// <param name="path">Its configuration path.</param>
    /// <param name="prefix">The ID prefix.</param>
    /// <param name="errors">Receives the messages.</param>
    public static void CheckIdValue(string? value, string path, string prefix, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        // An empty value is reported as missing by the caller.
        if (!string.IsNullOrEmpty(value) && (!IdPattern().IsMatch(value) || !value.StartsWith(prefix + "-", StringComparison.Ordinal)))
        {
            errors.Add($"{path} is '{value}', which is not a {prefix} ID; use the form {prefix}-0123456789abcdef0 ({prefix}- and at least 8 lower-case hex digits), as the AWS console shows it.");
        }
    }

    /// <summary>Checks a single IPv4 address setting (a plain address or a /32), returning it.</summary>
    /// <param name="value">The value.</param>
    /// <param name="path">Its configuration path.</param>
    /// <param name="what">What it is, for the message (e.g. "VIP").</param>
    /// <param name="errors">Receives the messages.</param>
    /// <returns>The address, or null when invalid.</returns>
    public static IPAddress? CheckIpv4(string? value, string path, string what, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{path} is empty; set the {what} address (an IPv4 address such as 10.1.0.20).");
            return null;
        }

        var text = value.Trim();
        if (text.Contains('/', StringComparison.Ordinal))
        {
            var parts = text.Split('/');
            if (parts.Length != 2 || parts[1] != "32")
            {
                errors.Add($"{path} is '{value}'; the {what} must be a single address (a /32), e.g. {parts[0]}.");
                return null;
            }

            text = parts[0];
        }

        if (!IPAddress.TryParse(text, out var address) || text.Count(c => c == '.') != 3 && address.AddressFamily == AddressFamily.InterNetwork)
        {
            errors.Add($"{path} is '{value}', which is not an IP address; use an IPv4 address such as 10.1.0.20.");
            return null;
        }

        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            errors.Add($"{path} is '{value}', an IPv6 address; the {what} must be an IPv4 address.");
            return null;
        }

        return address;
    }

    /// <summary>
    /// Checks that no two nodes share a value that belongs to one machine (an ENI, an instance): a common value for a
    /// multi-node cluster gives every node the same one, which is never what works.
    /// </summary>
    internal static void CheckOnePerNode(PerNode<string>? setting, string path, string what, IReadOnlyList<string> nodes, ICollection<string> errors)
    {
        if (setting is null || nodes.Count < 2)
        {
            return;
        }

        foreach (var shared in nodes
            .Select(n => (Node: n, Value: setting.Resolve(n)))
            .Where(v => !string.IsNullOrEmpty(v.Value))
            .GroupBy(v => v.Value, StringComparer.Ordinal)
            .Where(g => g.Count() > 1))
        {
            var value = shared.Key ?? string.Empty;
            var prefix = value[..(value.IndexOf('-', StringComparison.Ordinal) + 1)];
            var example = string.Join(", ", nodes.Select(n => $"\"{n}\": \"{prefix}…\""));
            errors.Add($"{path} gives {string.Join(" and ", shared.Select(v => v.Node))} the same {what} '{value}'; each node needs its own: set one per node, e.g. {{ \"Nodes\": {{ {example} }} }}.");
        }
    }

    // AWS guarantees the prefix and hex digits, not today's 8 or 17 of them; other emulators issue other lengths.
    [GeneratedRegex("^[a-z]+-[0-9a-f]{8,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
