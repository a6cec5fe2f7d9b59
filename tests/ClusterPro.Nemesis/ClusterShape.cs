namespace ClusterPro.Nemesis;

/// <summary>The cluster a schedule runs on.</summary>
/// <param name="Nodes">2 or 3 nodes (node1 is the master; node3 is added to the emulator's canonical scenario).</param>
/// <param name="Fencing">Fencing:Type aws (StopInstances).</param>
/// <param name="Witness">Witness:Type dynamodb.</param>
/// <param name="PowerOff">When a stopped instance's process is killed.</param>
internal sealed record ClusterShape(int Nodes, bool Fencing, bool Witness, PowerOffMode PowerOff = PowerOffMode.AtStopped)
{
    /// <summary>The node names, in priority order.</summary>
    public IReadOnlyList<string> Names => Enumerable.Range(1, Nodes).Select(i => $"node{i}").ToList();

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Nodes} nodes, {(Fencing && Witness ? "fencing and witness" : Fencing ? "fencing" : "witness, no fencing")}, power-off at {(PowerOff == PowerOffMode.AtStopped ? "stopped" : "stopping")}";
}
