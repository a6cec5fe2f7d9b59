using System.Text.Json;

namespace ClusterPro.Nemesis;

/// <summary>What the emulator's state says about the group's resources and the nodes' instances.</summary>
/// <param name="Owners">Per resource (see <see cref="Topology.ResourceNames"/>): the node it points at, null for nothing, <c>?</c> for no node's.</param>
/// <param name="Instances">Node name to instance state.</param>
internal sealed record AwsState(IReadOnlyList<string?> Owners, IReadOnlyDictionary<string, string> Instances)
{
    /// <summary>Reads <c>GET /_emulator/state</c>.</summary>
    /// <param name="state">The state document.</param>
    /// <param name="topology">The run's topology.</param>
    /// <returns>The ground truth.</returns>
    public static AwsState Parse(JsonElement state, Topology topology)
    {
        var region = state.GetProperty("regions").EnumerateArray().First(r => r.GetProperty("name").GetString() == topology.Region);
        var owners = new List<string?>();
        var tables = region.GetProperty("routeTables").EnumerateArray().ToDictionary(t => t.GetProperty("id").GetString()!);
        foreach (var table in topology.VipRouteTables)
        {
            string? eni = null;
            if (tables.TryGetValue(table, out var t))
            {
                foreach (var route in t.GetProperty("routes").EnumerateArray())
                {
                    if (route.GetProperty("cidr").GetString() == topology.VipCidr)
                    {
                        eni = Text(route, "networkInterfaceId") ?? "?";
                    }
                }
            }

            owners.Add(topology.NodeByEni(eni));
        }

        var address = region.GetProperty("addresses").EnumerateArray().FirstOrDefault(a => a.GetProperty("allocationId").GetString() == topology.EipAllocationId);
        owners.Add(address.ValueKind == JsonValueKind.Object ? topology.NodeByEni(Text(address, "networkInterfaceId")) : null);

        string? ip = null;
        foreach (var zone in state.GetProperty("hostedZones").EnumerateArray())
        {
            if (zone.GetProperty("id").GetString() != topology.HostedZoneId)
            {
                continue;
            }

            foreach (var record in zone.GetProperty("records").EnumerateArray())
            {
                if (string.Equals(record.GetProperty("name").GetString(), topology.RecordName, StringComparison.OrdinalIgnoreCase) && record.GetProperty("type").GetString() == "A")
                {
                    var values = record.GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToList();
                    ip = values.Count == 1 ? values[0] : "?";
                }
            }
        }

        owners.Add(topology.NodeByIp(ip));
        var instances = new Dictionary<string, string>();
        foreach (var instance in region.GetProperty("instances").EnumerateArray())
        {
            if (topology.NodeByInstance(instance.GetProperty("id").GetString()!) is { } node)
            {
                instances[node] = instance.GetProperty("state").GetString()!;
            }
        }

        return new AwsState(owners, instances);
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
