using System.Globalization;

namespace ClusterPro.Nemesis;

/// <summary>
/// Judges a run's history against properties stated in plain words. The ground truth is AWS as the emulator has it
/// (where each VIP route table, the Elastic IP and the record point), with the processes' and links' states from the
/// nemesis; the nodes' own events are used only where a property is about a node's decision (claims, fences).
/// <list type="bullet">
/// <item><b>no-split</b> (safety): the group's resources never point at two different nodes for longer than one
/// activation takes (<see cref="Timing.TransitionTolerance"/>).</item>
/// <item><b>one-claimant</b> (safety): never do two running nodes both hold the group for longer than a woken owner needs
/// to hear of the newer claim and release it (<see cref="Timing.ClaimTolerance"/>).</item>
/// <item><b>healthy-node-fenced</b> (safety): no node is fenced that was running and in a majority (with its
/// heartbeat links intact) during the whole time a fence decision can look back on (<see cref="Timing.FenceLookback"/>).</item>
/// <item><b>takeover-bound</b> (liveness): a dead, frozen or powered-off owner (or no owner) never keeps the group past
/// the takeover bound while a healthy node could take it (<see cref="Timing.TakeoverBound"/>).</item>
/// <item><b>fence-used</b> (liveness): once a node's fence of the owner has completed, and that node is the one to take
/// over, the group is served again within one activation (<see cref="Timing.FenceUsedBound"/>).</item>
/// <item><b>healed</b> (liveness): after the last fault is healed and every node runs again, exactly one node serves
/// the group within <see cref="Timing.LivenessBound"/>, is the only node that claims it, and keeps it (no flapping).</item>
/// <item><b>no-false-failover</b> (liveness): the group never leaves an owner that was running, reaching AWS and its NP
/// target and hearing every peer all the time before.</item>
/// <item><b>no-mutual-fencing</b> (liveness): two nodes never fence each other.</item>
/// <item><b>expected</b>: a scripted schedule's own outcome (who serves when the faults end; who alone may be fenced).</item>
/// </list>
/// </summary>
internal sealed partial class Checker
{
    private readonly History _history;
    private readonly Timing _timing;
    private readonly Schedule _schedule;
    private readonly List<Sample> _samples;
    private readonly List<Violation> _violations = [];
    private readonly int _n;

    /// <summary>Prepares the checker for one run.</summary>
    /// <param name="history">The run's history.</param>
    /// <param name="timing">The run's settings and bounds.</param>
    /// <param name="schedule">The schedule that ran.</param>
    public Checker(History history, Timing timing, Schedule schedule)
    {
        _history = history;
        _timing = timing;
        _schedule = schedule;
        _samples = [.. history.Samples.OrderBy(s => s.T)];
        _n = schedule.Shape.Nodes;
    }

    /// <summary>What the run measured besides violations.</summary>
    public RunStats Stats { get; } = new();

    /// <summary>Checks every property.</summary>
    /// <returns>The violations, in time order.</returns>
    public IReadOnlyList<Violation> Check()
    {
        var checkedSamples = _samples.Where(s => s.T >= _history.ServedFrom).ToList();
        NoSplit(checkedSamples);
        OneClaimant(checkedSamples);
        HealthyNodeFenced();
        MutualFencing();
        TakeoverBound(checkedSamples);
        FenceUsed();
        Healed();
        Failovers(checkedSamples);
        Expected();
        return [.. _violations.OrderBy(v => v.T)];
    }

    private static string S(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static string At(double t) => t.ToString("+0.000", CultureInfo.InvariantCulture);

    /// <summary>Resources on two different nodes for longer than one activation.</summary>
    private void NoSplit(List<Sample> samples)
    {
        double? since = null;
        var reported = false;
        foreach (var s in samples)
        {
            if (!s.Split)
            {
                since = null;
                reported = false;
                continue;
            }

            since ??= s.T;
            if (!reported && s.T - since > _timing.TransitionTolerance)
            {
                reported = true;
                Add(since.Value, Violation.Safety, "no-split", $"the group's resources pointed at {string.Join(" and ", s.Targets)} at once ({Describe(s)}) for more than {S(_timing.TransitionTolerance)} s");
            }
        }
    }

    /// <summary>Two running, unfrozen nodes both holding the group (by their own events) for too long.</summary>
    private void OneClaimant(List<Sample> samples)
    {
        var claims = Claims(samples);
        double? since = null;
        var reported = false;
        for (var i = 0; i < samples.Count; i++)
        {
            var holders = claims[i].Where(n => samples[i].Node(n).Up).ToList();
            if (holders.Count < 2)
            {
                since = null;
                reported = false;
                continue;
            }

            since ??= samples[i].T;
            if (!reported && samples[i].T - since > _timing.ClaimTolerance)
            {
                reported = true;
                Add(since.Value, Violation.Safety, "one-claimant", $"{string.Join(" and ", holders)} were both running and holding failover1 for more than {S(_timing.ClaimTolerance)} s ({Describe(samples[i])})");
            }
        }
    }

    /// <summary>
    /// Which nodes hold the group at each sample, by their own events: from GroupActivated (its outcome aside: a partly
    /// active group is held) until GroupDeactivated succeeded, Stopped, the process died, or a new incarnation Started.
    /// </summary>
    private List<HashSet<string>> Claims(List<Sample> samples)
    {
        var events = _history.Events.OrderBy(e => e.T).ToList();
        var holding = new HashSet<string>();
        var result = new List<HashSet<string>>();
        var next = 0;
        foreach (var s in samples)
        {
            for (; next < events.Count && events[next].T <= s.T; next++)
            {
                var e = events[next];
                if (e.Kind == "GroupActivated")
                {
                    holding.Add(e.Node);
                }
                else if ((e.Kind == "GroupDeactivated" && e.Succeeded) || e.Kind is "Stopped" or "Started")
                {
                    holding.Remove(e.Node);
                }
            }

            holding.RemoveWhere(n => !s.Node(n).Alive);
            result.Add([.. holding]);
        }

        return result;
    }

    /// <summary>Adds a violation.</summary>
    private void Add(double t, string category, string property, string text) => _violations.Add(new Violation(t, category, property, text));

    /// <summary>The samples between two times.</summary>
    private IEnumerable<Sample> Between(double from, double to) => _samples.Where(s => s.T >= from && s.T <= to);

    /// <summary>The last sample at or before a time.</summary>
    private Sample? AtOrBefore(double t) => _samples.LastOrDefault(s => s.T <= t);

    /// <summary>A sample's resources and nodes in a few words.</summary>
    private string Describe(Sample s)
    {
        var vip = s.Owners.Take(s.Owners.Count - 2).Distinct().Select(o => o ?? "none");
        var nodes = string.Join(", ", s.Nodes.Select(n => $"{n.Name} {State(n)}"));
        return $"vip->{string.Join(",", vip)} eip->{s.Owners[^2] ?? "none"} dns->{s.Owners[^1] ?? "none"}; {nodes}";
    }

    private static string State(NodeSample n) => n.Proc switch
    {
        ProcState.Running when n.Instance != "running" => $"running on a {n.Instance} instance",
        ProcState.Running => "running" + (n.AwsOk ? "" : " without AWS") + (n.NpOk ? "" : " without its NP target"),
        ProcState.Paused => "frozen",
        ProcState.PoweredOff => "powered off",
        ProcState.Killed => "killed",
        ProcState.Exited => "exited",
        ProcState.Starting => "starting",
        _ => n.Proc.ToString().ToLowerInvariant(),
    };
}
