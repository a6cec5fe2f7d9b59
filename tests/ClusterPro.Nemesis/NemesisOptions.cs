using System.Globalization;

namespace ClusterPro.Nemesis;

/// <summary>The command line.</summary>
internal sealed record NemesisOptions
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        dotnet run -c Release --project tests/ClusterPro.Nemesis -- MODE [--repeat N] [--quiet]
          --short            the scripted schedules CI runs (both of issue 19's defects and the basic faults), about 3 minutes
          --schedule NAME    one scripted schedule (--schedule list shows them)
          --seed N           one random schedule, replayed from its seed
          --minutes M        random schedules until M minutes are up (seeds from --from, default random), cycling
                             2 and 3 nodes, with and without the witness
          --from S           the first seed of --minutes
          --repeat N         run the schedule (or seed) N times
          --quiet            print only each run's verdict and the timelines of runs with violations
        Exit 0 only with 0 safety and 0 liveness violations. Artifacts: artifacts/nemesis/<run>/.
        """;

    /// <summary>Run the short suite.</summary>
    public bool Short { get; init; }

    /// <summary>A scripted schedule's name.</summary>
    public string? Schedule { get; init; }

    /// <summary>A random schedule's seed.</summary>
    public int? Seed { get; init; }

    /// <summary>Minutes of random schedules.</summary>
    public double? Minutes { get; init; }

    /// <summary>The first seed of a timed run.</summary>
    public int? From { get; init; }

    /// <summary>How many times to run.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Print timelines only for runs with violations.</summary>
    public bool Quiet { get; init; }

    /// <summary>Parses the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ArgumentException">An argument is unknown or malformed, or no mode is given.</exception>
    public static NemesisOptions Parse(string[] args)
    {
        var o = new NemesisOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Int() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{name} {args[i]}: give a whole number.");
            o = name switch
            {
                "--short" => o with { Short = true },
                "--schedule" => o with { Schedule = Next() },
                "--seed" => o with { Seed = Int() },
                "--minutes" => o with { Minutes = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0 ? m : throw new ArgumentException($"--minutes {args[i]}: give a positive number.") },
                "--from" => o with { From = Int() },
                "--repeat" => o with { Repeat = Math.Max(1, Int()) },
                "--quiet" => o with { Quiet = true },
                _ => throw new ArgumentException($"Unknown argument '{name}'."),
            };
        }

        var modes = (o.Short ? 1 : 0) + (o.Schedule is null ? 0 : 1) + (o.Seed is null ? 0 : 1) + (o.Minutes is null ? 0 : 1);
        return modes == 1 ? o : throw new ArgumentException("Give exactly one of --short, --schedule NAME, --seed N, --minutes M.");
    }
}
