namespace ClusterPro.Nemesis;

/// <summary>One node at one sample: its process, its instance as the emulator has it, and what the nemesis does to its AWS and NP target.</summary>
/// <param name="Name">The node.</param>
/// <param name="Proc">Its process.</param>
/// <param name="Instance">Its instance's state in the emulator (<c>running</c>, <c>stopping</c>, <c>stopped</c>, <c>pending</c>).</param>
/// <param name="AwsOk">Whether its AWS calls get through (no outage on its proxy).</param>
/// <param name="AwsLatency">Seconds of latency its proxy adds to every call (0 for none or only some operations).</param>
/// <param name="NpOk">Whether its network-partition target answers.</param>
internal sealed record NodeSample(string Name, ProcState Proc, string Instance, bool AwsOk, double AwsLatency, bool NpOk)
{
    /// <summary>Running as a node, not frozen, on a running instance.</summary>
    public bool Up => Proc == ProcState.Running && Instance == "running";

    /// <summary>Up, and it reaches AWS and its NP target: a node that could take a group over.</summary>
    public bool Healthy => Up && AwsOk && NpOk;

    /// <summary>Its process is alive (running, starting or frozen).</summary>
    public bool Alive => Proc is ProcState.Starting or ProcState.Running or ProcState.Paused;
}
