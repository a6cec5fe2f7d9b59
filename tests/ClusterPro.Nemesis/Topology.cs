using System.Text.Json;

namespace ClusterPro.Nemesis;

/// <summary>
/// The AWS side of a run: the emulator's canonical scenario (VPC, three route tables holding the VIP, the Elastic IP,
/// the private zone), node1 and node2 from it, and node3 added to it when the cluster has three nodes.
/// </summary>
internal sealed record Topology(
    string Region,
    string VpcId,
    string Vip,
    string VipCidr,
    IReadOnlyList<string> VipRouteTables,
    string EipAllocationId,
    string HostedZoneId,
    string RecordName,
    IReadOnlyList<NodeSpec> Nodes)
{
    /// <summary>The resources the checker reads, in the order of <see cref="Sample.Owners"/>.</summary>
    public IReadOnlyList<string> ResourceNames => [.. VipRouteTables.Select(t => $"vip@{t}"), "eip", "dns"];

    /// <summary>Reads the scenario object of the emulator's ready line (node1 and node2).</summary>
    /// <param name="scenario">The scenario object.</param>
    /// <returns>The topology with two nodes.</returns>
    public static Topology FromScenario(JsonElement scenario)
    {
        string S(params string[] path) => path.Aggregate(scenario, (e, name) => e.GetProperty(name)).GetString()!;
        NodeSpec Node(string name) => new(name, S(name, "instanceId"), S(name, "eniId"), S(name, "privateIp"));
        return new Topology(
            S("region"),
            S("vpcId"),
            S("vip"),
            S("vipCidr"),
            [.. scenario.GetProperty("vipRouteTables").EnumerateArray().Select(e => e.GetString()!)],
            S("eipAllocationId"),
            S("hostedZoneId"),
            S("recordName"),
            [Node("node1"), Node("node2")]);
    }

    /// <summary>A node by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>Its identity.</returns>
    public NodeSpec Node(string name) => Nodes.First(n => n.Name == name);

    /// <summary>The node an ENI belongs to, <c>?</c> for another ENI, null for none.</summary>
    /// <param name="eniId">The ENI.</param>
    /// <returns>The node's name.</returns>
    public string? NodeByEni(string? eniId) => eniId is null ? null : Nodes.FirstOrDefault(n => n.EniId == eniId)?.Name ?? "?";

    /// <summary>The node an address belongs to, <c>?</c> for another address, null for none.</summary>
    /// <param name="ip">The address.</param>
    /// <returns>The node's name.</returns>
    public string? NodeByIp(string? ip) => ip is null ? null : Nodes.FirstOrDefault(n => n.PrivateIp == ip)?.Name ?? "?";

    /// <summary>The node an instance belongs to, or null.</summary>
    /// <param name="instanceId">The instance.</param>
    /// <returns>The node's name.</returns>
    public string? NodeByInstance(string instanceId) => Nodes.FirstOrDefault(n => n.InstanceId == instanceId)?.Name;
}
