using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// The shipped cluster.canonical.json pointed at a standalone emulator's canonical scenario (the scenario object of its
/// ready line): its IDs in place of the example's, no OS address managed (Kind none: one-shot commands are processes of their own), the emulator's health path as the NP
/// target and no name-resolution check of the record (the emulator's DNS is not the resolver of this machine).
/// </summary>
internal static class CanonicalConfigFile
{
    /// <summary>The configuration, as JSON to edit further.</summary>
    /// <param name="scenario">The emulator's scenario object.</param>
    /// <param name="endpoint">The emulator's endpoint.</param>
    /// <returns>The configuration.</returns>
    public static JsonNode For(JsonElement scenario, Uri endpoint)
    {
        string Get(string path) => path.Split('.').Aggregate(scenario, (e, name) => e.GetProperty(name)).GetString()!;
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cluster.canonical.json"))
            .Replace("vpc-0bbbbbbbbbbbbbbb1", Get("vpcId"), StringComparison.Ordinal)
            .Replace("eni-0ccccccccccccccc1", Get("node1.eniId"), StringComparison.Ordinal)
            .Replace("eni-0ccccccccccccccc2", Get("node2.eniId"), StringComparison.Ordinal)
            .Replace("i-0aaaaaaaaaaaaaaa1", Get("node1.instanceId"), StringComparison.Ordinal)
            .Replace("i-0aaaaaaaaaaaaaaa2", Get("node2.instanceId"), StringComparison.Ordinal)
            .Replace("eipalloc-0ddddddddddddddd1", Get("eipAllocationId"), StringComparison.Ordinal)
            .Replace("Z0EXAMPLE0HZ1LOCAL000", Get("hostedZoneId"), StringComparison.Ordinal);
        var json = JsonNode.Parse(text)!;
        var cp = json["ClusterPro"]!;
        cp["HostAddresses"]!["node1"]!["Kind"] = "none";
        cp["HostAddresses"]!["node2"]!["Kind"] = "none";
        cp["NetworkPartition"]!["Http"]![0] = new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = endpoint.Port, ["UseTls"] = false, ["Path"] = "/_emulator/health" };
        cp["Groups"]!["failover1"]!["Resources"]![2]!["CheckNameResolution"] = false;
        return json;
    }
}
