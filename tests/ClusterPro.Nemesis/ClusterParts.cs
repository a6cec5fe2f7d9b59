namespace ClusterPro.Nemesis;

/// <summary>The parts of a running cluster the sampler and the nemesis act on.</summary>
/// <param name="Emulator">The emulator process.</param>
/// <param name="Topology">The AWS side.</param>
/// <param name="Shape">The cluster.</param>
/// <param name="Nodes">Each node's process.</param>
/// <param name="Proxies">Each node's AWS proxy.</param>
/// <param name="Targets">Each node's NP target.</param>
/// <param name="Relay">The heartbeat relay.</param>
internal sealed record ClusterParts(
    EmulatorProcess Emulator,
    Topology Topology,
    ClusterShape Shape,
    IReadOnlyDictionary<string, NodeProcess> Nodes,
    IReadOnlyDictionary<string, AwsProxy> Proxies,
    IReadOnlyDictionary<string, NpTarget> Targets,
    HeartbeatRelay Relay);
