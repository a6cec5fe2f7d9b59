namespace ClusterPro.Nemesis;

/// <summary>
/// The ground truth at one moment: which node each of the group's resources points at in the emulator (each VIP route
/// table's target ENI, the Elastic IP's ENI, the DNS record's address), every node's process and instance, and the
/// heartbeat links the relay is degrading or cutting.
/// </summary>
/// <param name="T">Run seconds.</param>
/// <param name="Owners">Per resource (the VIP route tables, then the EIP, then the record): the node it points at, null for nothing, <c>?</c> for something that is no node's.</param>
/// <param name="Nodes">Every node, in priority order.</param>
/// <param name="FaultedLinks">Directed heartbeat links (from, to) with any fault on them (cut, loss or delay).</param>
internal sealed record Sample(double T, IReadOnlyList<string?> Owners, IReadOnlyList<NodeSample> Nodes, IReadOnlySet<(string From, string To)> FaultedLinks)
{
    /// <summary>The node every resource points at, or null when they do not all point at one node.</summary>
    public string? Owner => Owners.Count > 0 && Owners.All(o => o is not null && o != "?" && o == Owners[0]) ? Owners[0] : null;

    /// <summary>The distinct nodes the resources point at.</summary>
    public IReadOnlyList<string> Targets => Owners.Where(o => o is not null && o != "?").Distinct().Select(o => o!).ToList();

    /// <summary>Resources point at two or more different nodes.</summary>
    public bool Split => Targets.Count > 1;

    /// <summary>The group is served: every resource points at one node, and that node is up.</summary>
    public bool Served => Owner is { } o && Node(o).Up;

    /// <summary>A node by name.</summary>
    /// <param name="name">Its name.</param>
    /// <returns>Its sample.</returns>
    public NodeSample Node(string name) => Nodes.First(n => n.Name == name);

    /// <summary>Whether heartbeats flow both ways between two nodes without any fault.</summary>
    /// <param name="a">One node.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when neither direction is cut, lossy or delayed.</returns>
    public bool Linked(string a, string b) => !FaultedLinks.Contains((a, b)) && !FaultedLinks.Contains((b, a));
}
