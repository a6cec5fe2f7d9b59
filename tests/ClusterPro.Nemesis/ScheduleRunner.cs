using System.Globalization;

namespace ClusterPro.Nemesis;

/// <summary>
/// Runs one schedule on a fresh cluster: brings it up, lets heartbeats settle, applies the steps on the wall clock
/// (and the triggered ones when their trigger fires), heals everything, watches until the group has stayed put long
/// enough (or the liveness bound is over), tears the cluster down, and hands the history to the checker.
/// </summary>
internal sealed class ScheduleRunner(Timing baseTiming, string binaries, bool echo)
{
    /// <summary>Heartbeats settle after the group is first served, before any fault.</summary>
    private const double Settle = 0.5;

    /// <summary>Runs <paramref name="schedule"/>.</summary>
    /// <param name="schedule">The schedule.</param>
    /// <param name="folder">The run's folder (created).</param>
    /// <param name="seed">Seeds the relay's packet loss.</param>
    /// <param name="cancellationToken">Stops the run (its processes are killed).</param>
    /// <returns>The outcome.</returns>
    public async Task<RunResult> RunAsync(Schedule schedule, string folder, int seed, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var timing = baseTiming with { CallLatency = schedule.CallLatency, OperationLatency = schedule.OperationLatency };
        var clock = new RunClock();
        var history = new History();
        using var timeline = new Timeline(Path.Combine(folder, "timeline.txt"), clock, echo);
        timeline.Add("nemesis", $"schedule {schedule.Name} (replay: {schedule.Replay}): {schedule.Purpose}");
        timeline.Add("nemesis", timing.Describe(schedule.Shape));
        timeline.Add("nemesis", string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} cores, load average {LoadAverage():0.0} over the last minute"));
        var setupFailure = default(Violation);
        try
        {
            await using var cluster = await Cluster.StartAsync(schedule.Shape, timing, binaries, folder, seed, history, timeline, clock, cancellationToken).ConfigureAwait(false);
            await RunClock.DelayAsync(Settle, cancellationToken).ConfigureAwait(false);
            await ApplyStepsAsync(cluster, schedule, history, timeline, clock, cancellationToken).ConfigureAwait(false);
            history.HealFrom = clock.Now;
            await cluster.ApplyAsync(NemesisAction.Heal, cancellationToken).ConfigureAwait(false);
            history.HealedAt = clock.Now;
            timeline.Add("nemesis", "healed: every node runs again");
            await ObserveAsync(history, timing.LivenessBound(schedule.Shape), timing.Quiet, clock, cancellationToken).ConfigureAwait(false);
            history.End = clock.Now;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A node that never starts, an instance that never runs again, a fault the suite could not apply: the run
            // failed, and says why; the suite goes on with the next run.
            setupFailure = new Violation(clock.Now, Violation.Liveness, "run", $"the run could not go on: {ex.GetType().Name}: {ex.Message}");
            timeline.Add("nemesis", ex.ToString());
        }

        var checker = new Checker(history, timing, schedule);
        var violations = checker.Check().ToList();
        if (setupFailure is not null)
        {
            violations.Add(setupFailure);
        }

        foreach (var v in violations)
        {
            timeline.Add(v.T, "check", $"{v.Category.ToUpperInvariant()} {v.Property}: {v.Text}");
        }

        var stats = checker.Stats;
        var takeovers = stats.TakeoverSeconds.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", takeover {string.Join("/", stats.TakeoverSeconds.Select(s => s.ToString("0.0", CultureInfo.InvariantCulture)))} s");
        var load = LoadAverage();
        timeline.Add("check", string.Create(CultureInfo.InvariantCulture, $"{schedule.Name}: {violations.Count(v => v.Category == Violation.Safety)} safety, {violations.Count(v => v.Category == Violation.Liveness)} liveness violations; {stats.Fences} fences, {stats.Takeovers} takeovers{takeovers}; samples up to {history.MaxSamplerLag:0.00} s late, load average {load:0.0}"));
        return new RunResult(schedule, violations, stats, clock.Now, folder, timeline.Lines, history.MaxSamplerLag, load);
    }

    /// <summary>The machine's load average over the last minute (Linux), or NaN.</summary>
    /// <returns>The load.</returns>
    public static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    private static async Task ApplyStepsAsync(Cluster cluster, Schedule schedule, History history, Timeline timeline, RunClock clock, CancellationToken cancellationToken)
    {
        var t0 = clock.Now;
        history.FaultsFrom = t0;
        var resolved = new Dictionary<int, string>();
        var triggered = new List<Task>();
        var fired = new HashSet<string>();
        NemesisAction Bind(NemesisAction a)
        {
            lock (resolved)
            {
                string Node(string n) => n.StartsWith('=') && resolved.TryGetValue(int.Parse(n[1..], CultureInfo.InvariantCulture), out var bound) ? bound : n;
                return a with { Node = Node(a.Node), Peer = a.Peer is null ? null : Node(a.Peer) };
            }
        }

        void OnStop(string fencer)
        {
            lock (fired)
            {
                if (!fired.Add(fencer))
                {
                    return;
                }
            }

            foreach (var step in schedule.Steps.Where(s => s.AfterStopRequestBy == fencer))
            {
                timeline.Add("nemesis", $"trigger: {fencer} asked AWS to stop an instance; in {step.At.ToString("0.0##", CultureInfo.InvariantCulture)} s: {step.Action}");
                lock (triggered)
                {
                    triggered.Add(Task.Run(
                        async () =>
                        {
                            await RunClock.DelayAsync(step.At, cancellationToken).ConfigureAwait(false);
                            await cluster.ApplyAsync(Bind(step.Action), cancellationToken).ConfigureAwait(false);
                        },
                        cancellationToken));
                }
            }
        }

        cluster.StopRequested += OnStop;
        try
        {
            foreach (var step in schedule.Steps.Where(s => s.AfterStopRequestBy is null).OrderBy(s => s.At))
            {
                await clock.UntilAsync(t0 + step.At, cancellationToken).ConfigureAwait(false);
                var done = await cluster.ApplyAsync(Bind(step.Action), cancellationToken).ConfigureAwait(false);
                if (step.Id is { } id)
                {
                    lock (resolved)
                    {
                        resolved[id] = done.Node;
                    }
                }
            }

            await clock.UntilAsync(t0 + schedule.HealAt, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            cluster.StopRequested -= OnStop;
        }

        Task[] pending;
        lock (triggered)
        {
            pending = [.. triggered];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    /// <summary>Watches after healing until the owner has stayed put for <paramref name="quiet"/>, or the bound and the quiet time are over.</summary>
    private static async Task ObserveAsync(History history, double bound, double quiet, RunClock clock, CancellationToken cancellationToken)
    {
        var last = history.HealedAt + bound + quiet;
        while (clock.Now < last)
        {
            var after = history.Samples.Where(s => s.T >= history.HealedAt).OrderBy(s => s.T).ToList();
            var first = after.FirstOrDefault(s => s.Served);
            if (first is not null && clock.Now >= first.T + quiet)
            {
                return;
            }

            await RunClock.DelayAsync(0.1, cancellationToken).ConfigureAwait(false);
        }
    }
}
