using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// Every command is bounded: against an AWS endpoint that accepts connections and never answers, each command ends within
/// its <c>--timeout</c> with one line naming that endpoint, exit 2.
/// </summary>
public sealed class BlackHoleTests : IAsyncLifetime
{
    private readonly BlackHole _hole = new();
    private string _config = null!;

    public Task InitializeAsync()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cluster.canonical.json")))!;
        var cp = json["ClusterPro"]!;
        cp["HostAddresses"]!["node1"]!["Kind"] = "none";
        cp["HostAddresses"]!["node2"]!["Kind"] = "none";
        cp["NetworkPartition"]!["Http"]![0] = new JsonObject { ["Host"] = "127.0.0.1", ["Port"] = _hole.Port, ["UseTls"] = false };
        cp["Groups"]!["failover1"]!["Resources"]![2]!["CheckNameResolution"] = false;
        cp["Witness"] = new JsonObject { ["Type"] = "dynamodb", ["Table"] = "clusterpro-witness" };
        _config = Path.Combine(Path.GetTempPath(), $"clusterpro-{Guid.NewGuid():N}.json");
        File.WriteAllText(_config, json.ToJsonString());
        foreach (var (name, value) in Environment())
        {
            System.Environment.SetEnvironmentVariable(name, value);
        }

        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        foreach (var (name, _) in Environment())
        {
            System.Environment.SetEnvironmentVariable(name, null);
        }

        File.Delete(_config);
        _hole.Dispose();
        return Task.CompletedTask;
    }

    private Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{_hole.Port}",
        ["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ["AWS_REGION"] = "ap-northeast-1",
        ["CLUSTERPRO_HEARTBEAT_KEY"] = "a-shared-secret-of-32-characters",
    };

    [Fact]
    public async Task Status_AsAProcess_EndsWithinItsTimeout_NamingTheEndpoint_Exit2()
    {
        var started = TimeProvider.System.GetTimestamp();
        await using var process = ChildProcess.Start("clusterpro.dll", Environment(), "status", "--config", _config, "--timeout", "5");
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var took = TimeProvider.System.GetElapsedTime(started);

        code.Should().Be(2, process.Output + process.Error);
        // The budget and a process start-up, with room for a loaded machine: the defect was a hang of 303 s, not a few seconds.
        took.Should().BeLessThan(TimeSpan.FromSeconds(20), "status --timeout 5 ends within its timeout, not after the endpoint's own limits");
        took.Should().BeGreaterThan(TimeSpan.FromSeconds(4.5), "the budget is the command's, not cut short");
        var lines = process.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainSingle().Which.Should().StartWith("clusterpro status: no answer within 5 s (--timeout): ")
            .And.Contain($"http://127.0.0.1:{_hole.Port} has not answered a POST");
        process.Output.Should().BeEmpty();
    }

    [Theory]
    [InlineData("check", "--node", "node1")]
    [InlineData("check", "--node", "node1", "--output", "json")]
    [InlineData("doctor", "--node", "node1")]
    [InlineData("activate", "--node", "node1")]
    [InlineData("deactivate", "--node", "node2")]
    [InlineData("status", "--output", "json")]
    [InlineData("witness-init")]
    public async Task EveryCommand_EndsWithinItsTimeout_WithOneLineNamingTheEndpoint_Exit2(string command, params string[] more)
    {
        // As the tool runs: one command per process (a command that ran out of time is abandoned, not awaited).
        var started = TimeProvider.System.GetTimestamp();
        await using var process = ChildProcess.Start("clusterpro.dll", Environment(), [command, "--config", _config, "--timeout", "5", .. more]);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        var took = TimeProvider.System.GetElapsedTime(started);
        code.Should().Be(2, process.Output + process.Error);
        took.Should().BeLessThan(TimeSpan.FromSeconds(20), "the command ends within its budget and a process start-up, not after the endpoint's own limits");
        process.Output.Should().BeEmpty();
        process.Error.TrimEnd().Should().NotContain("\n").And.StartWith($"clusterpro {command}: no answer within 5 s (--timeout): http://127.0.0.1:{_hole.Port} ")
            .And.MatchRegex(" (has not answered a [A-Z]+ for|did not answer a [A-Z]+ within) [0-9.]+ s\\. Fix: ");
    }

    [Fact]
    public async Task Timeout_NotAPositiveNumber_Exits64_NamingTheOption()
    {
        var result = await ConsoleRun.RunAsync("status", "--config", _config, "--timeout", "0");

        result.Code.Should().Be(64);
        result.Error.Should().Contain("--timeout 0 is not a time budget");
    }

    /// <summary>A TCP listener on loopback that accepts every connection and never answers (nor closes) it.</summary>
    private sealed class BlackHole : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _held = [];
        private readonly CancellationTokenSource _stop = new();

        public BlackHole()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held)
            {
                _held.ForEach(s => s.Dispose());
            }

            _stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    lock (_held)
                    {
                        _held.Add(socket);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
