using System.Globalization;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>EC2 Query protocol parameters (<c>Filter.1.Name</c>, <c>InstanceId.1</c> …), case-insensitive names.</summary>
internal sealed partial class QueryParams(IEnumerable<KeyValuePair<string, string>> pairs)
{
    private readonly Dictionary<string, string> _values = pairs
        .GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> AllValues => _values.Values;

    public string? Get(string name) => _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public string Required(string name) =>
        Get(name) ?? throw new AwsErrorException("MissingParameter", $"The request must contain the parameter {name}");

    /// <summary>The emulator's page-size option: every paged Describe returns at most this many items per page.</summary>
    public int? PageSize { get; init; }

    public bool Bool(string name) => BoolOrNull(name) ?? false;

    public bool? BoolOrNull(string name)
    {
        var v = Get(name);
        if (v is null)
        {
            return null;
        }

        return bool.TryParse(v, out var b)
            ? b
            : throw new AwsErrorException("InvalidParameterValue", $"Value ({v}) for parameter {Camel(name)} is invalid. Expected: 'boolean'.");
    }

    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    public int? Int(string name)
    {
        var v = Get(name);
        if (v is null)
        {
            return null;
        }

        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw new AwsErrorException("InvalidParameterValue", $"Value ({v}) for parameter {Camel(name)} is invalid. Expected: 'integer'.");
    }

    /// <summary>Values of <c>{prefix}.1</c>, <c>{prefix}.2</c> … in order.</summary>
    public List<string> List(string prefix)
    {
        var result = new List<string>();
        for (var i = 1; ; i++)
        {
            var v = Get($"{prefix}.{i}");
            if (v is null)
            {
                return result;
            }

            result.Add(v);
        }
    }

    /// <summary>Whether the request names the parameter, or a member of it (<c>Name.1</c>, <c>Name.Value</c> …).</summary>
    public bool HasPrefix(string name) =>
        _values.Keys.Any(k => k.Equals(name, StringComparison.OrdinalIgnoreCase) || k.StartsWith(name + ".", StringComparison.OrdinalIgnoreCase));

    /// <summary>The <c>Filter.N.Name</c> / <c>Filter.N.Value.M</c> pairs; a filter with values but no name is refused, as EC2 does.</summary>
    public List<(string Name, List<string> Values)> Filters()
    {
        var indexes = _values.Keys
            .Select(k => FilterKey().Match(k))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture))
            .Distinct()
            .Order()
            .ToList();
        var result = new List<(string, List<string>)>();
        foreach (var i in indexes)
        {
            var name = Get($"Filter.{i}.Name") ?? throw new AwsErrorException("InvalidParameterValue", "The filter 'null' is invalid");
            result.Add((name, List($"Filter.{i}.Value")));
        }

        return result;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^Filter\.(\d{1,6})\.(Name|Value\.\d+)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex FilterKey();
}
