using System.Globalization;

namespace ClusterPro.Nemesis;

/// <summary>
/// Random schedules, each a pure function of its seed, so <c>--seed N</c> replays one. The seed's two lowest bits choose
/// the cluster (bit 0: 2 or 3 nodes; bit 1: with or without the witness), so consecutive seeds cycle through all four;
/// the rest is drawn: fencing beside a witness or not, when a power-off cuts the process, and one to three faults —
/// kill -9 and restart, SIGSTOP and SIGCONT (also the owner frozen just beyond the timeout, so a fence may be in flight
/// when it wakes), isolation, one-way cuts, lossy and slow links, AWS latency, AWS outages, NP target outages,
/// power-offs — aimed at the owner, a standby or any node, overlapping as they fall.
/// </summary>
internal static class RandomSchedules
{
    /// <summary>
    /// The fault kinds by weight: the ones that take an owner away (kill, freeze, isolation, the fence race) twice as
    /// often as the ones it should ride out.
    /// </summary>
    private static readonly int[] Kinds = [0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10];

    /// <summary>The schedule of <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The schedule.</returns>
    public static Schedule Generate(int seed)
    {
        var random = new Random(seed);
        var nodes = 2 + (seed & 1);
        var witness = (seed & 2) != 0;
        var fencing = !witness || random.Next(2) == 0;
        var shape = new ClusterShape(nodes, fencing, witness, random.Next(2) == 0 ? PowerOffMode.AtStopped : PowerOffMode.AtStopping);
        var steps = new List<ScheduleStep>();
        var end = 0.0;
        var faults = 1 + random.Next(3);
        for (var i = 0; i < faults; i++)
        {
            // Mostly at the owner, mostly long enough for a takeover (detection, fence delay, fence: about 5 s).
            var at = Round(0.5 + (random.NextDouble() * 6));
            var length = Round(1 + (random.NextDouble() * 7));
            var target = random.Next(10) switch
            {
                < 6 => NemesisAction.Owner,
                < 8 => NemesisAction.Standby,
                _ => $"node{1 + random.Next(nodes)}",
            };
            var peer = $"node{1 + random.Next(nodes)}";
            var kind = Kinds[random.Next(Kinds.Length)];
            NemesisAction? undo = null;
            NemesisAction fault;
            switch (kind)
            {
                case 0:
                    fault = new NemesisAction(ActionKind.Kill, target);
                    undo = new NemesisAction(ActionKind.Start, target);
                    break;
                case 1:
                    fault = new NemesisAction(ActionKind.Pause, target);
                    undo = new NemesisAction(ActionKind.Resume, target);
                    break;
                case 2:
                    fault = new NemesisAction(ActionKind.Isolate, target);
                    undo = new NemesisAction(ActionKind.Rejoin, target);
                    break;
                case 3:
                    fault = new NemesisAction(ActionKind.CutLink, target, peer);
                    undo = new NemesisAction(ActionKind.Rejoin, target);
                    break;
                case 4:
                    fault = new NemesisAction(ActionKind.LinkLoss, target, peer, Value: Round(0.3 + (random.NextDouble() * 0.4)));
                    undo = new NemesisAction(ActionKind.Rejoin, target);
                    break;
                case 5:
                    fault = new NemesisAction(ActionKind.AwsLatency, target, Value: Round(0.05 + (random.NextDouble() * 0.75)));
                    undo = new NemesisAction(ActionKind.AwsHeal, target);
                    break;
                case 6:
                    fault = new NemesisAction(ActionKind.AwsOutage, target, Mode: random.Next(2) == 0 ? OutageMode.Refuse : OutageMode.BlackHole);
                    undo = new NemesisAction(ActionKind.AwsHeal, target);
                    break;
                case 7:
                    fault = new NemesisAction(ActionKind.NpDown, target);
                    undo = new NemesisAction(ActionKind.NpUp, target);
                    break;
                case 8:
                    fault = new NemesisAction(ActionKind.PowerOff, target);
                    break;
                case 9:
                    fault = new NemesisAction(ActionKind.LinkDelay, target, peer, Value: Round(0.1 + (random.NextDouble() * 0.7)));
                    undo = new NemesisAction(ActionKind.Rejoin, target);
                    break;
                default:
                    // A fence-race: the owner frozen beyond the timeout, woken while a fence may be in flight.
                    fault = new NemesisAction(ActionKind.Pause, NemesisAction.Owner);
                    undo = new NemesisAction(ActionKind.Resume, NemesisAction.Owner);
                    length = Round(1.5 + (random.NextDouble() * 3));
                    break;
            }

            if (fault.Peer is not null && fault.Peer == fault.Node)
            {
                // A link to itself: the link to the next node instead.
                fault = fault with { Peer = $"node{(int.Parse(fault.Node[4..], CultureInfo.InvariantCulture) % nodes) + 1}" };
            }

            steps.Add(new ScheduleStep(at, fault, Id: i));
            if (undo is not null)
            {
                // The undo acts on the node the fault hit, whatever its role is by then.
                steps.Add(new ScheduleStep(Round(at + length), undo with { Node = $"={i}" }));
            }

            end = Math.Max(end, at + length);
        }

        var ordered = steps.OrderBy(s => s.At).ToList();
        var purpose = string.Join("; ", ordered.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.At:0.0} s {Describe(s.Action, steps)}")));
        return new Schedule($"seed-{seed}", purpose, shape, ordered, HealAt: Round(Math.Max(end + 1.5, 8)), Seed: seed);
    }

    private static double Round(double seconds) => Math.Round(seconds, 2);

    /// <summary>An action for the timeline, a bound node (<c>=N</c>) named by the step it was bound in.</summary>
    private static string Describe(NemesisAction action, List<ScheduleStep> steps)
    {
        if (!action.Node.StartsWith('='))
        {
            return action.ToString();
        }

        var id = int.Parse(action.Node[1..], CultureInfo.InvariantCulture);
        var bound = steps.First(s => s.Id == id);
        return (action with { Node = string.Create(CultureInfo.InvariantCulture, $"[{bound.Action.Node} at {bound.At:0.0} s]") }).ToString();
    }
}
