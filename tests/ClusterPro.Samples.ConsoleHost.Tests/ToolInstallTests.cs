using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClusterPro.Samples.Tests;
using ClusterPro.Tests.Shared;

namespace ClusterPro.Samples.ConsoleHost.Tests;

/// <summary>
/// The sample host as the .NET tool an operator installs: <c>dotnet pack</c> makes ClusterPro.Tool, <c>dotnet tool
/// install</c> puts <c>clusterpro</c> in a tool path from that folder, and the installed command works against the
/// standalone emulator (a process too): help, activate, status, check --output json.
/// </summary>
public sealed class ToolInstallTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _work = Path.Combine(Path.GetTempPath(), "clusterpro-tool-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
    private ChildProcess? _emulator;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task PackedTool_InstalledFromTheFolder_RunsHelpStatusAndCheckJson_AgainstTheStandaloneEmulator()
    {
        // Pack from a copy of the sources, so the packing build never touches the tree the other tests run from.
        var repo = SourceTree.Copy(SourceTree.RepositoryRoot(), Path.Combine(_work, "repo"), "src", Path.Combine("samples", "ClusterPro.Samples.ConsoleHost"));
        var feed = Path.Combine(_work, "feed");
        var tools = Path.Combine(_work, "tools");
        var pack = await RunAsync("dotnet", repo, null, "pack", Path.Combine(repo, "samples", "ClusterPro.Samples.ConsoleHost"), "-c", "Release", "-o", feed, $"-p:Version={_version}", "--nologo");
        pack.Code.Should().Be(0, pack.Output);
        File.Exists(Path.Combine(feed, $"ClusterPro.Tool.{_version}.nupkg")).Should().BeTrue();

        // From outside the repository: its nuget.config maps every package to the machine's own feed.
        var install = await RunAsync("dotnet", _work, null, "tool", "install", "--tool-path", tools, "--add-source", feed, "ClusterPro.Tool", "--version", _version);
        install.Code.Should().Be(0, install.Output);
        var clusterpro = Path.Combine(tools, "clusterpro");

        var help = await RunAsync(clusterpro, _work, null, "--help");
        help.Code.Should().Be(0, help.Output);
        help.Output.Should().Contain("clusterpro [command] [options]").And.ContainAll("status", "witness-init", "check");

        _emulator = ChildProcess.Start("ClusterPro.Aws.Emulator.dll", null, "--port", "0", "--dns-port", "-1", "--scenario", "canonical", "--propagation-delay", "0", "--exit-on-stdin-close");
        await _emulator.WaitForAsync("\"endpoint\"", Wait);
        var aws = JsonDocument.Parse(_emulator.Lines.First(l => l.Contains("\"endpoint\"", StringComparison.Ordinal))).RootElement.Clone();
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = aws.GetProperty("endpoint").GetString()!,
            ["AWS_ACCESS_KEY_ID"] = aws.GetProperty("accessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = aws.GetProperty("secretAccessKey").GetString()!,
            ["AWS_REGION"] = aws.GetProperty("region").GetString()!,
            ["CLUSTERPRO_HEARTBEAT_KEY"] = "a-shared-secret-of-32-characters",
        };
        var config = WriteConfig(aws.GetProperty("scenario"), new Uri(environment["AWS_ENDPOINT_URL"]));

        var activate = await RunAsync(clusterpro, _work, environment, "activate", "--config", config, "--node", "node2");
        var status = await RunAsync(clusterpro, _work, environment, "status", "--config", config, "--node", "node2");
        var check = await RunAsync(clusterpro, _work, environment, "check", "--config", config, "--node", "node2", "--output", "json");

        activate.Code.Should().Be(0, activate.Output);
        status.Code.Should().Be(0, status.Output);
        status.Output.Should().MatchRegex(@"failover1\s+node2\s+node2\s+0\s+no answer\s+no answer\s+OK").And.Contain("CLUSTER OK: Every group has one owner and AWS points at it.");
        check.Code.Should().Be(0, check.Output);
        var json = JsonNode.Parse(check.Output)!;
        json["status"]!.GetValue<string>().Should().Be("Normal");
        json["monitors"]!.AsArray().Select(m => m!["name"]!.GetValue<string>()).Should().Contain(["awsvipw1", "awseipw1"]);
    }

    /// <summary>cluster.canonical.json pointed at the emulator's scenario, with the emulator as the NP target.</summary>
    private string WriteConfig(JsonElement scenario, Uri endpoint)
    {
        var json = CanonicalConfigFile.For(scenario, endpoint);
        var path = Path.Combine(_work, "cluster.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
