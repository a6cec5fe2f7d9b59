namespace ClusterPro.Nemesis;

/// <summary>The fencing properties: whom a node may stop, and that a completed fence is used.</summary>
internal sealed partial class Checker
{
    /// <summary>The StopInstances calls that reached AWS, one entry per target.</summary>
    private List<(double T, string Fencer, string Target)> Fences() =>
        [.. _history.Calls.Where(c => c.Operation == "StopInstances" && c.Outcome.StartsWith("forwarded", StringComparison.Ordinal)).SelectMany(c => c.Targets.Select(t => (c.T, c.Node, t))).OrderBy(f => f.T)];

    /// <summary>
    /// A node stopped while it had been running in a majority for the whole look-back (with a witness, unless it held
    /// the group and had lost AWS meanwhile: it could neither renew its lease nor let go).
    /// </summary>
    private void HealthyNodeFenced()
    {
        foreach (var (t, fencer, target) in Fences())
        {
            Stats.Fences++;
            // Back to the fence's look-back, or to when the group was first served (every node running and heard).
            var window = Between(Math.Max(t - _timing.FenceLookback, _history.ServedFrom), t).ToList();
            if (window.Count == 0 || t < _history.ServedFrom)
            {
                continue;
            }

            // With a witness, an owner that lost AWS could not renew its lease nor let go of the group: the new lease
            // owner must fence it, majority or not (nemesis seed 118211). Not a healthy node.
            if (_schedule.Shape.Witness && window.Any(s => !s.Node(target).AwsOk) && Claims([window[^1]])[0].Contains(target))
            {
                continue;
            }

            if (window.All(s => InMajority(s, target)))
            {
                var majority = Component(window[^1], target, n => n.Up);
                Add(t, Violation.Safety, "healthy-node-fenced", $"{fencer} stopped {target}'s instance, although {target} had been running in a majority ({string.Join(", ", majority.Order())}) with its heartbeat links intact for the {S(t - window[0].T)} s before");
            }
        }
    }

    /// <summary>Two nodes fencing each other within one look-back.</summary>
    private void MutualFencing()
    {
        var fences = Fences();
        foreach (var (t, fencer, target) in fences)
        {
            if (string.CompareOrdinal(fencer, target) < 0 && fences.Any(f => f.Fencer == target && f.Target == fencer && Math.Abs(f.T - t) <= _timing.FenceLookback))
            {
                Add(t, Violation.Liveness, "no-mutual-fencing", $"{fencer} and {target} stopped each other's instances");
            }
        }
    }

    /// <summary>
    /// A node whose fence of the owner completed, and which is the node to take over (the first healthy node of the
    /// group in a part of the cluster that may take it), serves the group within one activation. Not judged with a
    /// witness: there the lease, not the fence, decides when.
    /// </summary>
    private void FenceUsed()
    {
        if (_schedule.Shape.Witness)
        {
            return;
        }

        foreach (var e in _history.Events.Where(e => e.Kind == "FenceCompleted" && e.Succeeded))
        {
            var before = AtOrBefore(e.T);
            if (before is null || e.T < _history.ServedFrom || !before.Targets.Contains(e.Subject) || before.Served)
            {
                continue;
            }

            var taker = EligibleTaker(before);
            var first = before.Nodes.FirstOrDefault(n => n.Healthy && (_n == 2 || Component(before, n.Name, x => x.Healthy).Contains(e.Node)));
            if (taker is null || first?.Name != e.Node)
            {
                continue;
            }

            var until = e.T + _timing.FenceUsedBound + 2 * _timing.SampleInterval;
            var window = Between(e.T, until).ToList();
            // Judged only when nothing else happened meanwhile (the fenced node's own power-off is the fence's effect).
            var disturbed = _history.Faults.Any(f => f.T > e.T - 0.05 && f.T <= until && f.Text != $"power-off {e.Subject}") || window.Any(s => !s.Node(e.Node).Healthy);
            if (disturbed || _samples.Count == 0 || _samples[^1].T < until)
            {
                continue;
            }

            if (!window.Any(s => s.Served))
            {
                var served = _samples.FirstOrDefault(s => s.T > e.T && s.Served);
                var later = served is null ? "not before the run ended" : $"only {S(served.T - e.T)} s later ({At(served.T)}), on {served.Owner}";
                Add(e.T, Violation.Liveness, "fence-used", $"{e.Node}'s fence of {e.Subject} completed at {At(e.T)} ({e.Detail.Trim()}), but failover1 was served again {later}; the bound is one activation, {S(_timing.FenceUsedBound)} s: the completed fence was not used");
            }
        }
    }
}
