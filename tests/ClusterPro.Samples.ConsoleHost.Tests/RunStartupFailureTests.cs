using System.Text.Json.Nodes;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary><c>run</c>'s start-up failures, as a process prints them: the problem in one line each, never the Host's stack trace.</summary>
public sealed class RunStartupFailureTests : IDisposable
{
    private readonly string _config = Path.Combine(Path.GetTempPath(), $"clusterpro-{Guid.NewGuid():N}.json");

    public RunStartupFailureTests()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cluster.canonical.json")))!;
        json["ClusterPro"]!["HostAddresses"]!["node1"]!["Kind"] = "none";
        File.WriteAllText(_config, json.ToJsonString());
    }

    public void Dispose() => File.Delete(_config);

    [Fact]
    public async Task Run_ConfigurationProblem_OneLinePerProblem_NoStackTrace_Exit64()
    {
        await using var run = ChildProcess.Start("clusterpro.dll", new Dictionary<string, string> { ["CLUSTERPRO_HEARTBEAT_KEY"] = "short" }, "run", "--config", _config, "--node", "node1");

        var code = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));

        code.Should().Be(64, run.Error);
        run.Error.Should().Contain("ClusterPro:Heartbeat:Key").And.NotContain("   at ").And.NotContain("Hosting failed to start");
        run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "the heading and the one problem");
    }
}
