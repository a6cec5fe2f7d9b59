using System.Text.Json.Nodes;
using ClusterPro.Aws.Testing;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// The shipped cluster.canonical.json pointed at an in-process emulator's canonical scenario, for the one-shot commands:
/// its IDs, no OS address managed (Kind none: each command is a process of its own, and nothing touches this machine's
/// interfaces), the emulator's health path as the NP target and its DNS as the record's name server.
/// </summary>
internal static class EmulatorConfigFile
{
    /// <summary>Writes the configuration, edited by <paramref name="edit"/>, to a temporary file.</summary>
    /// <param name="emulator">The emulator.</param>
    /// <param name="edit">Further edits.</param>
    /// <returns>The file's path.</returns>
    public static string Write(AwsEmulator emulator, Action<JsonNode> edit)
    {
        var s = emulator.Scenario!;
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cluster.canonical.json"))
            .Replace("vpc-0bbbbbbbbbbbbbbb1", s.VpcId, StringComparison.Ordinal)
            .Replace("eni-0ccccccccccccccc1", s.Node1.EniId, StringComparison.Ordinal)
            .Replace("eni-0ccccccccccccccc2", s.Node2.EniId, StringComparison.Ordinal)
            .Replace("i-0aaaaaaaaaaaaaaa1", s.Node1.InstanceId, StringComparison.Ordinal)
            .Replace("i-0aaaaaaaaaaaaaaa2", s.Node2.InstanceId, StringComparison.Ordinal)
            .Replace("eipalloc-0ddddddddddddddd1", s.EipAllocationId, StringComparison.Ordinal)
            .Replace("Z0EXAMPLE0HZ1LOCAL000", s.HostedZoneId, StringComparison.Ordinal);
        var json = JsonNode.Parse(text)!;
        var cp = json["ClusterPro"]!;
        cp["HostAddresses"]!["node1"]!["Kind"] = "none";
        cp["HostAddresses"]!["node2"]!["Kind"] = "none";
        cp["NetworkPartition"]!["Http"]![0] = new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = emulator.Endpoint.Port, ["UseTls"] = false, ["Path"] = "/_emulator/health" };
        cp["Groups"]!["failover1"]!["Resources"]![2]!["NameServers"] = new JsonArray(emulator.DnsEndpoint!.ToString());
        edit(json);
        var path = Path.Combine(Path.GetTempPath(), $"clusterpro-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }
}
