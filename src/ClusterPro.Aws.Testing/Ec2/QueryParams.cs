using System.Globalization;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>EC2 Query protocol parameters (<c>Filter.1.Name</c>, <c>InstanceId.1</c> …), case-insensitive names.</summary>
internal sealed class QueryParams(IEnumerable<KeyValuePair<string, string>> pairs)
{
    private readonly Dictionary<string, string> _values = pairs
        .GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<string> AllValues => _values.Values;

    public string? Get(string name) => _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public string Required(string name) =>
        Get(name) ?? throw new AwsErrorException("MissingParameter", $"The request must contain the parameter {name}");

    public bool Bool(string name) => Get(name) is { } v && bool.TryParse(v, out var b) && b;

    public int? Int(string name)
    {
        var v = Get(name);
        if (v is null)
        {
            return null;
        }

        return int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw new AwsErrorException("InvalidParameterValue", $"Invalid value '{v}' for {name}");
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

    public List<(string Name, List<string> Values)> Filters()
    {
        var result = new List<(string, List<string>)>();
        for (var i = 1; ; i++)
        {
            var name = Get($"Filter.{i}.Name");
            if (name is null)
            {
                return result;
            }

            result.Add((name, List($"Filter.{i}.Value")));
        }
    }
}

/// <summary>Filters and pagination with AWS's semantics.</summary>
internal static class Query
{
    /// <summary>Keeps items matching every filter (any value of a filter; <c>*</c> and <c>?</c> wildcards).</summary>
    public static IEnumerable<T> Filter<T>(IEnumerable<T> items, QueryParams p, Func<T, string, IEnumerable<string?>?> field)
    {
        var filters = p.Filters();
        foreach (var item in items)
        {
            var keep = true;
            foreach (var (name, values) in filters)
            {
                var actual = field(item, name) ?? throw new AwsErrorException("InvalidParameterValue", $"The filter '{name}' is invalid");
                if (!actual.Any(a => a is not null && values.Any(v => Glob(v, a))))
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                yield return item;
            }
        }
    }

    /// <summary>MaxResults / NextToken pagination (NextToken is an opaque offset).</summary>
    public static (List<T> Page, string? NextToken) Paginate<T>(IReadOnlyList<T> items, QueryParams p)
    {
        var max = p.Int("MaxResults");
        var token = p.Get("NextToken");
        var offset = 0;
        if (token is not null)
        {
            try
            {
                offset = int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token)), CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                throw new AwsErrorException("InvalidNextToken", $"The specified token '{token}' is invalid.");
            }
        }

        if (max is null)
        {
            return (items.Skip(offset).ToList(), null);
        }

        if (max < 5 || max > 1000)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ( {max} ) for parameter maxResults is invalid. Parameter must be between 5 and 1000.");
        }

        var page = items.Skip(offset).Take(max.Value).ToList();
        var next = offset + page.Count < items.Count
            ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes((offset + page.Count).ToString(CultureInfo.InvariantCulture)))
            : null;
        return (page, next);
    }

    public static bool Glob(string pattern, string value)
    {
        if (!pattern.Contains('*', StringComparison.Ordinal) && !pattern.Contains('?', StringComparison.Ordinal))
        {
            return string.Equals(pattern, value, StringComparison.Ordinal);
        }

        var regex = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(value, regex);
    }
}
