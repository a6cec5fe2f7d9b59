using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ClusterPro.Hosting;

/// <summary>
/// Turns what a host throws at start-up for a bad configuration (options validation of every section, a node that
/// cannot be hosted, a settings file that does not parse) into one line per problem, each listed once — for a host to
/// print without a stack trace (the sample host exits 64).
/// </summary>
public static partial class ConfigurationProblems
{
    /// <summary>The problems <paramref name="exception"/> carries, or <see langword="null"/> when it is not a configuration problem.</summary>
    /// <param name="exception">What the host threw (an <see cref="OptionsValidationException"/>, an <see cref="AggregateException"/> of them,
    /// a <see cref="ClusterProConfigurationException"/>, or the <see cref="InvalidDataException"/> of a file that does not parse).</param>
    /// <returns>One line per problem, each once, in the order found.</returns>
    public static IReadOnlyList<string>? Read(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var problems = new List<string>();
        return Collect(exception, problems) ? problems.Distinct(StringComparer.Ordinal).ToList() : null;
    }

    private static bool Collect(Exception exception, List<string> problems)
    {
        switch (exception)
        {
            case ClusterProConfigurationException c:
                problems.AddRange(c.Problems);
                return true;
            case OptionsValidationException o:
                problems.AddRange(o.Failures);
                return true;
            case AggregateException a:
                return a.InnerExceptions.Count > 0 && a.InnerExceptions.All(inner => Collect(inner, problems));
            case InvalidDataException d when Find<JsonException>(d) is { } json:
                problems.Add(DescribeJson(d.Message, json));
                return true;
            default:
                return false;
        }
    }

    private static string DescribeJson(string message, JsonException json)
    {
        var file = FileName().Match(message) is { Success: true } m ? m.Groups[1].Value : "the configuration file";
        var reason = json.Message;
        foreach (var tail in new[] { " Path:", " LineNumber:", " | LineNumber:" })
        {
            var at = reason.IndexOf(tail, StringComparison.Ordinal);
            if (at > 0)
            {
                reason = reason[..at];
            }
        }

        reason = string.Join(' ', reason.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var where = json.LineNumber is { } line
            ? $"line {line + 1}, column {(json.BytePositionInLine ?? 0) + 1}"
            : "somewhere";
        return $"{file}: {where}: the file is not valid JSON ({reason.TrimEnd('.', ' ')}); fix the file there.";
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    [GeneratedRegex("'([^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
