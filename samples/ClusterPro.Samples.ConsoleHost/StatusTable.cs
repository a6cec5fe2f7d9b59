using System.Globalization;
using ClusterPro.Aws.Placement;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary><c>status</c> as tables for people: the cluster, its nodes, its groups (nodes and AWS side by side), its monitors and its last events.</summary>
internal static class StatusTable
{
    public static void Write(TextWriter output, StatusDocument d)
    {
        output.WriteLine($"CLUSTER {d.Cluster.State.ToUpperInvariant()}{(d.Cluster.Maintenance ? " (MAINTENANCE)" : string.Empty)}: {d.Cluster.Summary}");
        output.WriteLine();

        var nodes = new List<string[]> { new[] { "NODE", "STATE", "LAST HEARD", "HOLDS" } };
        nodes.AddRange(d.Nodes.Select(n => new[]
        {
            n.Name + (string.Equals(n.Name, d.Node, StringComparison.OrdinalIgnoreCase) ? " (this node)" : string.Empty),
            n.State,
            n.Answered ? "now" : n.LastHeardSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.#} s ago") : "never",
            string.Join(", ", n.Groups),
        }));
        Rows(output, nodes);
        output.WriteLine();

        var names = d.Nodes.Select(n => n.Name).ToList();
        var header = new List<string> { "GROUP", "OWNER", "AWS POINTS AT", "EPOCH" };
        header.AddRange(names.Select(n => n.ToUpperInvariant()));
        header.Add("VERDICT");
        var groups = new List<string[]> { header.ToArray() };
        foreach (var g in d.Groups)
        {
            var row = new List<string> { g.Name, g.Owner ?? "(none)", g.AwsOwner ?? "(none)", g.Epoch.ToString(CultureInfo.InvariantCulture) };
            row.AddRange(names.Select(n => g.States.GetValueOrDefault(n, "-")));
            row.Add(g.Verdict.ToUpperInvariant() + (g.Problems.Count > 0 ? ": " + string.Join(" ", g.Problems) : string.Empty));
            groups.Add(row.ToArray());
            foreach (var r in g.Resources)
            {
                var detail = new List<string> { "  " + r.Resource, r.Kind, r.State == AwsPlacementState.Node ? r.Node! : r.State.ToString().ToLowerInvariant(), string.Empty };
                detail.AddRange(names.Select(_ => string.Empty));
                detail.Add(r.Detail);
                groups.Add(detail.ToArray());
            }

            if (g.Lease is { } l)
            {
                var says = !l.Answered ? l.Detail
                    : l.Owner is null && l.Epoch is null ? "no lease"
                    : string.Create(CultureInfo.InvariantCulture, $"epoch {l.Epoch}{(l.AgeSeconds is { } age ? $", changed {age:0.#} s ago" : string.Empty)}{(l.UpdatedBy is null ? string.Empty : $" by {l.UpdatedBy}")} (table {d.Witness?.Table})");
                var lease = new List<string> { "  lease", "dynamodb", l.Answered ? l.Owner ?? "released" : "unknown", string.Empty };
                lease.AddRange(names.Select(_ => string.Empty));
                lease.Add(says);
                groups.Add(lease.ToArray());
            }
        }

        Rows(output, groups);
        if (d.Monitors.Count > 0)
        {
            output.WriteLine();
            var monitors = new List<string[]> { new[] { "MONITOR", "NODE", "STATUS", "FAILURES", "LADDER", "LAST ERROR" } };
            monitors.AddRange(d.Monitors.Select(m => new[]
            {
                m.Name,
                m.Node,
                m.Status,
                m.Failures.ToString(CultureInfo.InvariantCulture),
                $"{m.Reactivations} reactivation(s), {m.Failovers} failover(s){(m.FinalActionTaken ? ", final action" : string.Empty)}",
                m.LastError is null ? string.Empty : $"{m.LastError} at {m.LastErrorAt:HH:mm:ss}",
            }));
            Rows(output, monitors);
        }

        if (d.Events.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("LAST EVENTS");
            foreach (var e in d.Events)
            {
                output.WriteLine($"{e.At.ToLocalTime():HH:mm:ss.fff} {e.Node} {e.Kind} {e.Subject}: {e.Detail}");
            }
        }
    }

    /// <summary>Columns padded to their widest cell; the last column is not padded.</summary>
    private static void Rows(TextWriter output, List<string[]> rows)
    {
        var columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns - 1).Select(i => rows.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => i < columns - 1 ? cell.PadRight(widths[i]) : cell)).TrimEnd());
        }
    }
}
