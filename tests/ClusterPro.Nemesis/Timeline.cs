using System.Globalization;

namespace ClusterPro.Nemesis;

/// <summary>
/// A run's timeline: faults the nemesis injected, what the nodes logged about failover, what AWS pointed at, process
/// states, and the checker's verdicts, each stamped with the run clock. Written to the run's folder as it grows, and to
/// the console when the run is watched.
/// </summary>
internal sealed class Timeline : IDisposable
{
    private readonly object _sync = new();
    private readonly List<string> _lines = [];
    private readonly StreamWriter _file;
    private readonly RunClock _clock;
    private readonly bool _echo;

    /// <summary>Starts a timeline.</summary>
    /// <param name="path">The file it is written to.</param>
    /// <param name="clock">The run clock.</param>
    /// <param name="echo">Whether each line is also printed as it comes.</param>
    public Timeline(string path, RunClock clock, bool echo)
    {
        _file = new StreamWriter(path) { AutoFlush = true };
        _clock = clock;
        _echo = echo;
    }

    /// <summary>Every line so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_sync)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Adds a line stamped now.</summary>
    /// <param name="source">Who: <c>nemesis</c>, <c>aws</c>, a node name, <c>check</c>.</param>
    /// <param name="text">What.</param>
    public void Add(string source, string text) => Add(_clock.Now, source, text);

    /// <summary>Adds a line stamped <paramref name="at"/>.</summary>
    /// <param name="at">Run seconds.</param>
    /// <param name="source">Who.</param>
    /// <param name="text">What.</param>
    public void Add(double at, string source, string text)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"  {at,8:+0.000}  {source,-7}  {text}");
        lock (_sync)
        {
            _lines.Add(line);
            _file.WriteLine(line);
            if (_echo)
            {
                Console.WriteLine(line);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_sync)
        {
            _file.Dispose();
        }
    }
}
