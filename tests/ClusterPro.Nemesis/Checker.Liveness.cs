namespace ClusterPro.Nemesis;

/// <summary>The liveness properties: the group is served again in time, after healing it settles on one node, and it never moves for nothing.</summary>
internal sealed partial class Checker
{
    /// <summary>No owner, or a dead / frozen / powered-off one, past the takeover bound while a healthy node could take the group.</summary>
    private void TakeoverBound(List<Sample> samples)
    {
        var bound = _timing.TakeoverBound(_schedule.Shape);
        double? unserved = null;
        double? eligible = null;
        var reported = false;
        foreach (var s in samples.Where(s => double.IsNaN(_history.HealFrom) || s.T < _history.HealFrom))
        {
            var taker = EligibleTaker(s);
            unserved = s.Served ? null : unserved ?? s.T;
            eligible = taker is null ? null : eligible ?? s.T;
            if (unserved is null || eligible is null)
            {
                reported = false;
                continue;
            }

            var since = Math.Max(unserved.Value, eligible.Value);
            if (!reported && s.T - since > bound)
            {
                reported = true;
                Add(since, Violation.Liveness, "takeover-bound", $"failover1 was not served for more than {S(bound)} s (the takeover bound) while {taker} could take it: {Describe(s)}");
            }
        }
    }

    /// <summary>After healing: one owner within the bound, the only claimant, and it stays.</summary>
    private void Healed()
    {
        if (double.IsNaN(_history.HealedAt))
        {
            return;
        }

        var bound = _timing.LivenessBound(_schedule.Shape);
        var after = _samples.Where(s => s.T >= _history.HealedAt).ToList();
        var first = after.FirstOrDefault(s => s.Served);
        if (first is null || first.T - _history.HealedAt > bound)
        {
            var last = after.LastOrDefault();
            Add(_history.HealedAt, Violation.Liveness, "healed", $"after healing, failover1 was not served by one node within {S(bound)} s{(first is null ? "" : $" (only after {S(first.T - _history.HealedAt)} s)")}{(last is null ? "" : $": {Describe(last)}")}");
            if (first is null)
            {
                return;
            }
        }

        var claims = Claims(after);
        for (var i = after.IndexOf(first); i < after.Count; i++)
        {
            var s = after[i];
            if (!s.Served || s.Owner != first.Owner)
            {
                Add(s.T, Violation.Liveness, "healed", $"after healing, failover1 settled on {first.Owner} at {At(first.T)} but did not stay there (flapping): {Describe(s)}");
                break;
            }
        }

        var end = after[^1];
        var dead = end.Nodes.Where(n => !n.Up).Select(n => $"{n.Name} {State(n)}").ToList();
        if (dead.Count > 0)
        {
            Add(end.T, Violation.Liveness, "healed", $"after healing, not every node kept running: {string.Join(", ", dead)}");
        }

        var holders = claims[^1];
        if (end.Served && (holders.Count != 1 || !holders.Contains(end.Owner!)))
        {
            Add(end.T, Violation.Liveness, "healed", $"after healing, AWS points at {end.Owner} but the nodes holding failover1 by their own events are {(holders.Count == 0 ? "none" : string.Join(", ", holders.Order()))}");
        }
    }

    /// <summary>Every change of owner: its duration, and whether it was a false failover.</summary>
    private void Failovers(List<Sample> samples)
    {
        string? owner = null;
        double lostAt = double.NaN;
        foreach (var s in samples)
        {
            if (s.Served && owner is null)
            {
                owner = s.Owner;
                continue;
            }

            if (owner is null)
            {
                continue;
            }

            // The outage a takeover ends: from the first sample the old owner no longer served the group (it went down,
            // froze or released it).
            if (s.Served && s.Owner == owner)
            {
                lostAt = double.NaN;
            }
            else if (double.IsNaN(lostAt))
            {
                lostAt = s.T;
            }

            if (!s.Served || s.Owner == owner)
            {
                continue;
            }

            Stats.Takeovers++;
            var from = owner;
            owner = s.Owner;
            if (!double.IsNaN(lostAt))
            {
                Stats.TakeoverSeconds.Add(s.T - lostAt);
            }

            lostAt = double.NaN;
            var window = Between(s.T - _timing.FenceLookback, s.T).ToList();
            if (window.Count > 0 && window[0].T <= s.T - _timing.FenceLookback + 2 * _timing.SampleInterval && window.All(w => Sound(w, from)))
            {
                Stats.FalseFailovers++;
                Add(s.T, Violation.Liveness, "no-false-failover", $"failover1 moved from {from} to {owner}, although {from} had been running, reaching AWS and its NP target and hearing every peer for the {S(_timing.FenceLookback)} s before");
            }
        }
    }

    /// <summary>A scripted schedule's own outcome.</summary>
    private void Expected()
    {
        if (_schedule.Expect is not { } expect)
        {
            return;
        }

        if (!double.IsNaN(_history.HealFrom) && AtOrBefore(_history.HealFrom) is { } end)
        {
            if (!end.Served || !expect.OwnersBeforeHeal.Contains(end.Owner!))
            {
                Add(end.T, Violation.Liveness, "expected", $"when the faults ended failover1 should have been served by {string.Join(" or ", expect.OwnersBeforeHeal)}: {Describe(end)}");
            }
        }

        if (expect.OnlyFenced is { } allowed)
        {
            foreach (var (t, fencer, target) in Fences().Where(f => !allowed.Contains(f.Target)).DistinctBy(f => (f.Fencer, f.Target)))
            {
                Add(t, Violation.Safety, "expected", $"{fencer} stopped {target}'s instance; only {(allowed.Count == 0 ? "no node" : string.Join(" or ", allowed))} may be fenced in {_schedule.Name}");
            }
        }
    }
}
