using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// What an agent says on standard error: plain lines (<c>awsvip start: …</c>, which Pacemaker logs) and the exit reason,
/// with the prefix Pacemaker reads it by (<c>OCF_EXIT_REASON_PREFIX</c>, <c>ocf-exit-reason:</c>) when it gave one.
/// </summary>
internal sealed class OcfReporter(OcfAgentKind agent, string? action, OcfEnvironment environment, TextWriter error)
{
    private readonly Lock _gate = new();

    /// <summary>A line for the log.</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            error.WriteLine($"{agent.Name}{(action is null ? string.Empty : " " + action)}: {text}");
        }
    }

    /// <summary>Why the action did not succeed: one line, which Pacemaker shows beside the failed action.</summary>
    public void Reason(string text)
    {
        if (environment.ExitReasonPrefix is { } prefix)
        {
            lock (_gate)
            {
                error.WriteLine(prefix + text);
            }
        }
        else
        {
            Line(text);
        }
    }

    /// <summary>Every problem with the parameters, one line each (the first is the exit reason); returns <paramref name="code"/>.</summary>
    public int Problems(IReadOnlyList<string> problems, int code)
    {
        for (var i = 0; i < problems.Count; i++)
        {
            if (i == 0)
            {
                Reason(problems[i]);
            }
            else
            {
                Line(problems[i]);
            }
        }

        return code;
    }

    /// <summary>A log entry of ClusterPro's: its level, its category's last name, its message.</summary>
    public void Log(LogLevel level, string category, string message) =>
        Line($"{level switch { LogLevel.Warning => "warn", LogLevel.Error => "error", LogLevel.Critical => "crit", LogLevel.Information => "info", _ => "debug" }}: {category[(category.LastIndexOf('.') + 1)..]}: {message}");
}
