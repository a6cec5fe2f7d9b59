using System.Diagnostics;
using System.Globalization;
using ClusterPro.Simulation;

// Deterministic simulation of ClusterPro clusters. Every history is a seed; a failing seed replays exactly.
//   --histories N   run N histories (seeds --from .. --from+N-1); default 10000
//   --from S        first seed; default 1
//   --seed S        replay one history and print its timeline
//   --scenario NAME run a named scenario (--scenario list shows them) and print its timeline; "all" runs every one
//   --threads T     parallel histories; default the processor count
//   --coverage FILE print which lines and branches of the failover core a coverage report (cobertura) shows reached
var histories = 10_000;
var from = 1;
int? seed = null;
string? scenario = null;
var threads = Environment.ProcessorCount;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--histories":
            histories = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--from":
            from = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--seed":
            seed = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--scenario":
            scenario = Next();
            break;
        case "--threads":
            threads = int.Parse(Next(), CultureInfo.InvariantCulture);
            break;
        case "--coverage":
            return CoverageReport.Print(Console.Out, Next());
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Use --histories N [--from S] [--threads T], --seed S, --scenario NAME|list, or --coverage FILE.");
            return 64;
    }
}

if (scenario is not null)
{
    if (scenario == "list")
    {
        foreach (var s in Scenarios.All)
        {
            Console.WriteLine($"{s.Name,-28} {s.Finding}");
        }

        return 0;
    }

    if (scenario == "all")
    {
        var broken = 0;
        foreach (var s in Scenarios.All)
        {
            var run = s.Build(false).Run();
            Report.Violations(Console.Out, run, $"--scenario {s.Name}");
            broken += run.Violations.Count > 0 ? 1 : 0;
        }

        Console.WriteLine($"{Scenarios.All.Count} scenarios, {broken} with violations");
        return broken == 0 ? 0 : 1;
    }

    var named = Scenarios.All.FirstOrDefault(s => s.Name == scenario);
    if (named is null)
    {
        Console.Error.WriteLine($"No scenario '{scenario}'; --scenario list shows them.");
        return 64;
    }

    var result = named.Build(true).Run();
    Console.Write(result.Timeline);
    Report.Violations(Console.Out, result, $"--scenario {scenario}");
    Console.WriteLine(result.Violations.Count == 0 ? $"scenario {scenario}: 0 violations" : $"scenario {scenario}: {result.Violations.Count} violations");
    return result.Violations.Count == 0 ? 0 : 1;
}

if (seed is { } one)
{
    var result = new Simulation(one, record: true).Run();
    Console.Write(result.Timeline);
    Report.Violations(Console.Out, result, $"--seed {one}");
    Console.WriteLine($"1 histories, {(result.Violations.Count == 0 ? 0 : 1)} violations");
    return result.Violations.Count == 0 ? 0 : 1;
}

var clock = Stopwatch.StartNew();
var failures = new System.Collections.Concurrent.ConcurrentBag<HistoryResult>();
long steps = 0;
long simulated = 0;
long faults = 0;
var done = 0;
var settle = new double[2];
var ownerless = new double[2];
var split = new double[2];
var gate = new object();
Parallel.For(from, from + histories, new ParallelOptions { MaxDegreeOfParallelism = threads }, s =>
{
    var result = new Simulation(s).Run();
    Interlocked.Add(ref steps, result.Steps);
    Interlocked.Add(ref simulated, result.SimulatedMs);
    Interlocked.Add(ref faults, result.Faults);
    lock (gate)
    {
        if (result.SettleRatio > settle[0])
        {
            settle[0] = result.SettleRatio;
            settle[1] = result.Seed;
        }

        if (result.SplitRatio > split[0])
        {
            split[0] = result.SplitRatio;
            split[1] = result.Seed;
        }

        if (result.OwnerlessRatio > ownerless[0])
        {
            ownerless[0] = result.OwnerlessRatio;
            ownerless[1] = result.Seed;
        }
    }

    if (result.Violations.Count > 0)
    {
        failures.Add(result);
    }

    var n = Interlocked.Increment(ref done);
    if (n % 2000 == 0)
    {
        Console.Error.WriteLine($"  {n} histories, {failures.Count} violations, {clock.Elapsed.TotalSeconds:0.0} s");
    }
});
clock.Stop();

foreach (var failure in failures.OrderBy(f => f.Seed).Take(3))
{
    // Replay the seed with its timeline recorded: the same history, event for event.
    var replay = new Simulation(failure.Seed, record: true).Run();
    Console.WriteLine($"--- seed {failure.Seed} ---");
    Console.Write(Report.Tail(replay.Timeline!, 120));
    Report.Violations(Console.Out, replay, $"--seed {failure.Seed}");
}

foreach (var failure in failures.OrderBy(f => f.Seed).Skip(3))
{
    Report.Violations(Console.Out, failure, $"--seed {failure.Seed}");
}

var rate = histories / clock.Elapsed.TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{histories} histories ({simulated / 1000.0 / histories:0} simulated seconds and {(double)faults / histories:0.0} faults each, {steps:N0} events, {GC.GetTotalAllocatedBytes() / 1e6 / histories:0.0} MB allocated each) in {clock.Elapsed.TotalSeconds:0.0} s on {threads} threads: {rate:0} histories/s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"liveness: the slowest settling after the last fault took {settle[0]:P0} of its bound (seed {settle[1]}); the longest a healthy majority went without owning a group, {ownerless[0]:P0} (seed {ownerless[1]}); the longest split without fencing or witness, {split[0]:P0} of its bound (seed {split[1]})"));
Console.WriteLine($"{histories} histories, {failures.Count} violations");
return failures.IsEmpty ? 0 : 1;
