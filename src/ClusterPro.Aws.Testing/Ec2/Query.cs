using System.Globalization;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Filters and pagination with AWS's semantics.</summary>
internal static class Query
{
    /// <summary>Keeps items matching every filter (any value of a filter; <c>*</c> and <c>?</c> wildcards).</summary>
    public static IEnumerable<T> Filter<T>(IEnumerable<T> items, QueryParams p, Func<T, string, IEnumerable<string?>?> field, Func<T, IReadOnlyDictionary<string, string>>? tags = null)
    {
        var filters = p.Filters();
        foreach (var item in items)
        {
            var keep = true;
            foreach (var (name, values) in filters)
            {
                var actual = field(item, name) ?? TagField(item, name, tags) ?? throw new AwsErrorException("InvalidParameterValue", $"The filter '{name}' is invalid");
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

    private static IEnumerable<string?>? TagField<T>(T item, string name, Func<T, IReadOnlyDictionary<string, string>>? tags)
    {
        if (tags is null)
        {
            return null;
        }

        var set = tags(item);
        return name switch
        {
            _ when name.StartsWith("tag:", StringComparison.Ordinal) => set.TryGetValue(name[4..], out var v) ? [v] : [],
            "tag-key" => set.Keys,
            "tag-value" => set.Values,
            _ => null,
        };
    }

    /// <summary>
    /// MaxResults / NextToken pagination with the operation's documented MaxResults range (NextToken is an opaque
    /// offset). The emulator's page size, when set, caps every page; requests naming IDs are answered whole.
    /// </summary>
    public static (List<T> Page, string? NextToken) Paginate<T>(IReadOnlyList<T> items, QueryParams p, int minResults = 5, int maxResults = 1000, bool namedIds = false)
    {
        var max = p.Int("MaxResults");
        var token = p.Get("NextToken");
        if (max is not null && (max < minResults || max > maxResults))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ( {max} ) for parameter maxResults is invalid. Parameter must be between {minResults} and {maxResults}.");
        }

        var offset = 0;
        if (token is not null)
        {
            try
            {
                offset = int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(token)), NumberStyles.None, CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                throw new AwsErrorException("InvalidPaginationToken", $"Invalid pagination token: {token}");
            }
        }

        var size = namedIds ? max : (max, p.PageSize) switch
        {
            (null, null) => (int?)null,
            (null, var page) => page,
            (var m, null) => m,
            (var m, var page) => Math.Min(m!.Value, page!.Value),
        };
        if (size is null)
        {
            return (items.Skip(offset).ToList(), null);
        }

        var result = items.Skip(offset).Take(size.Value).ToList();
        var next = offset + result.Count < items.Count
            ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes((offset + result.Count).ToString(CultureInfo.InvariantCulture)))
            : null;
        return (result, next);
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
