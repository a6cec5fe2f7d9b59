using System.Globalization;

namespace ClusterPro.Nemesis;

/// <summary>
/// Runs the schedules the command line asks for, one after the other on fresh clusters, prints each run's timeline
/// (or only its verdict with <c>--quiet</c>), a verdict per schedule, and one summary line; exit 0 only without
/// violations.
/// </summary>
internal sealed class Suite(NemesisOptions options)
{
    /// <summary>A sample this late (seconds) means the machine could not run the suite on time: said beside the verdict.</summary>
    private const double Overloaded = 0.5;

    /// <summary>Runs.</summary>
    /// <param name="cancellationToken">Stops the suite.</param>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var seed = options.Seed ?? options.From ?? Random.Shared.Next(1, 1_000_000);
        Console.WriteLine($"seed {seed}");
        var binaries = AppContext.BaseDirectory;
        foreach (var dll in new[] { "clusterpro.dll", "ClusterPro.Aws.Emulator.dll" })
        {
            if (!File.Exists(Path.Combine(binaries, dll)))
            {
                Console.Error.WriteLine($"{dll} is not beside the suite ({binaries}); build tests/ClusterPro.Nemesis first.");
                return 64;
            }
        }

        if (options.Schedule is { } name && NamedSchedules.Find(name) is null)
        {
            Console.Error.WriteLine($"No schedule '{name}'; --schedule list shows them.");
            return 64;
        }

        var stamp = DateTimeOffset.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var root = Path.Combine(RepositoryRoot(), "artifacts", "nemesis", stamp);
        var runner = new ScheduleRunner(new Timing(), binaries, echo: !options.Quiet);
        var clock = new RunClock();
        var results = new List<RunResult>();
        var index = 0;
        foreach (var schedule in Schedules(seed, clock))
        {
            cancellationToken.ThrowIfCancellationRequested();
            index++;
            if (!options.Quiet)
            {
                Console.WriteLine();
                Console.WriteLine($"=== {index}. {schedule.Name}: {schedule.Shape}");
            }

            var folder = Path.Combine(root, $"{index:000}-{schedule.Name}");
            var result = await runner.RunAsync(schedule, folder, seed + index, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            Console.WriteLine(Verdict(result, index));
            if (options.Quiet && result.Violations.Count > 0)
            {
                foreach (var line in result.Timeline.TakeLast(200))
                {
                    Console.WriteLine(line);
                }
            }
        }

        Console.WriteLine();
        foreach (var group in results.GroupBy(r => r.Schedule.Seed is null ? r.Schedule.Name : "random"))
        {
            var failed = group.Count(r => r.Violations.Count > 0);
            var properties = string.Join(", ", group.SelectMany(r => r.Violations).GroupBy(v => v.Property).Select(g => $"{g.Key} x{g.Count()}"));
            Console.WriteLine($"  {group.Key,-20} {(failed == 0 ? "pass" : "FAIL"),-4}  {group.Count() - failed}/{group.Count()} runs clean{(properties.Length == 0 ? "" : $"; {properties}")}");
        }

        foreach (var r in results.Where(r => r.Violations.Count > 0))
        {
            Console.WriteLine($"  replay: dotnet run -c Release --project tests/ClusterPro.Nemesis -- {r.Schedule.Replay}   ({r.Folder})");
        }

        var safety = results.Sum(r => r.Safety);
        var liveness = results.Sum(r => r.Liveness);
        var takeovers = results.SelectMany(r => r.Stats.TakeoverSeconds).ToList();
        var range = takeovers.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" {takeovers.Min():0.0}-{takeovers.Max():0.0} s");
        var overloaded = results.Count(r => r.SamplerLag > Overloaded);
        if (overloaded > 0)
        {
            Console.WriteLine($"  the machine was overloaded during {overloaded} of {results.Count} runs (samples more than {Overloaded} s late): their timing bounds were judged on a starved machine");
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"nemesis: {results.Count} runs in {clock.Now:0} s, {safety} safety and {liveness} liveness violations ({results.Sum(r => r.Stats.Fences)} fences, {results.Sum(r => r.Stats.Takeovers)} takeovers{range}, {results.Sum(r => r.Stats.FalseFailovers)} false failovers); seed {seed}; {root}"));
        return safety + liveness == 0 ? 0 : 1;
    }

    private static string Verdict(RunResult r, int index)
    {
        var what = r.Violations.Count == 0
            ? "pass"
            : $"FAIL ({string.Join(", ", r.Violations.Select(v => v.Property).Distinct())})";
        var takeovers = r.Stats.TakeoverSeconds.Count == 0 ? "" : $", takeover {string.Join("/", r.Stats.TakeoverSeconds.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture)))} s";
        var busy = r.SamplerLag > Overloaded ? string.Create(CultureInfo.InvariantCulture, $" (machine overloaded: samples up to {r.SamplerLag:0.0} s late, load average {r.Load:0.0})") : "";
        return string.Create(CultureInfo.InvariantCulture, $"--- {index}. {r.Schedule.Name} [{r.Schedule.Shape}]: {what}; {r.Safety} safety, {r.Liveness} liveness; {r.Stats.Fences} fences, {r.Stats.Takeovers} takeovers{takeovers}; {r.Seconds:0.0} s{busy}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClusterPro.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private IEnumerable<Schedule> Schedules(int seed, RunClock clock)
    {
        if (options.Short)
        {
            for (var i = 0; i < options.Repeat; i++)
            {
                foreach (var s in NamedSchedules.Short)
                {
                    yield return s;
                }
            }
        }
        else if (options.Schedule is { } name)
        {
            for (var i = 0; i < options.Repeat; i++)
            {
                yield return NamedSchedules.Find(name)!;
            }
        }
        else if (options.Seed is { } one)
        {
            for (var i = 0; i < options.Repeat; i++)
            {
                yield return RandomSchedules.Generate(one);
            }
        }
        else if (options.Minutes is { } minutes)
        {
            for (var s = seed; clock.Now < minutes * 60; s++)
            {
                yield return RandomSchedules.Generate(s);
            }
        }
    }
}
