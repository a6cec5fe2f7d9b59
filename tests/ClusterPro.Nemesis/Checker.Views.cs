namespace ClusterPro.Nemesis;

/// <summary>Who could see whom at a sample: the connectivity the survival decisions are judged against.</summary>
internal sealed partial class Checker
{
    /// <summary>
    /// The nodes connected to <paramref name="node"/> through heartbeat links without faults (both directions), among
    /// the nodes that satisfy <paramref name="member"/>; empty when <paramref name="node"/> does not.
    /// </summary>
    private static HashSet<string> Component(Sample s, string node, Func<NodeSample, bool> member)
    {
        var seen = new HashSet<string>();
        if (!member(s.Node(node)))
        {
            return seen;
        }

        var queue = new Queue<string>([node]);
        seen.Add(node);
        while (queue.Count > 0)
        {
            var at = queue.Dequeue();
            foreach (var other in s.Nodes.Where(o => member(o) && !seen.Contains(o.Name) && s.Linked(at, o.Name)))
            {
                seen.Add(other.Name);
                queue.Enqueue(other.Name);
            }
        }

        return seen;
    }

    /// <summary>A node is up and, with the up nodes it hears and that hear it, more than half the cluster.</summary>
    private bool InMajority(Sample s, string node) => Component(s, node, n => n.Up).Count * 2 > _n;

    /// <summary>
    /// A healthy node (up, reaching AWS and its NP target) could take the group over: with a witness any healthy node
    /// (the lease decides); with two nodes any healthy node (the side that reaches the target survives); with three, a
    /// healthy node in a healthy majority.
    /// </summary>
    private string? EligibleTaker(Sample s)
    {
        foreach (var node in s.Nodes.Where(n => n.Healthy))
        {
            if (_schedule.Shape.Witness || _n == 2 || Component(s, node.Name, n => n.Healthy).Count * 2 > _n)
            {
                return node.Name;
            }
        }

        return null;
    }

    /// <summary>Nothing was wrong with a node: up, reaching AWS and its NP target, every heartbeat link of it clean.</summary>
    private static bool Sound(Sample s, string node) =>
        s.Node(node).Healthy && s.Nodes.All(o => o.Name == node || s.Linked(node, o.Name));
}
