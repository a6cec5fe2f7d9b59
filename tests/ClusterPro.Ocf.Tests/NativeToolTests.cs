using System.Text.Json;
using ClusterPro.Samples.Tests;
using ClusterPro.Tests.Shared;

namespace ClusterPro.Ocf.Tests;

/// <summary>
/// The native-compiled tool as the README builds it (<c>dotnet publish samples/ClusterPro.Samples.ConsoleHost -c Release
/// -r linux-x64 -p:PublishAot=true</c>), published once from a copy of the sources so the tree the other tests run from is
/// untouched: a single executable that needs no .NET runtime, whose OCF agents, installed from it, run it and pass
/// Pacemaker's ocf-tester against the standalone emulator, and whose one-shot commands bind their configuration.
/// </summary>
public sealed class NativeToolTests : IClassFixture<NativeToolTests.Published>, IAsyncLifetime
{
    private const string OcfTester = "/usr/sbin/ocf-tester";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly Published _tool;
    private readonly string _work = Directory.CreateTempSubdirectory("clusterpro-native-").FullName;
    private ChildProcess _emulator = null!;
    private JsonElement _ready;

    public NativeToolTests(Published tool) => _tool = tool;

    private string Endpoint => _ready.GetProperty("endpoint").GetString()!;

    public async Task InitializeAsync()
    {
        // ocf-tester runs meta-data as nobody, who must reach the agents.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        _emulator = ChildProcess.Start("ClusterPro.Aws.Emulator.dll", null, "--port", "0", "--dns-port", "-1", "--scenario", "canonical", "--propagation-delay", "0", "--exit-on-stdin-close");
        await _emulator.WaitForAsync("\"endpoint\"", Wait);
        _ready = JsonDocument.Parse(_emulator.Lines.First(l => l.Contains("\"endpoint\"", StringComparison.Ordinal))).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Published_IsOneNativeExecutable_ThatNeedsNoDotnet()
    {
        var bytes = new byte[4];
        await using (var file = File.OpenRead(_tool.Program))
        {
            await file.ReadExactlyAsync(bytes);
        }

        bytes.Should().Equal([0x7F, (byte)'E', (byte)'L', (byte)'F'], "an ELF executable, not a managed assembly");
        Directory.GetFiles(_tool.Folder, "*.dll").Should().BeEmpty("nothing is left for a JIT to load");

        // Run with no dotnet on the PATH and no .NET root: it must not need one.
        var help = await Processes.RunAsync(_tool.Program, ["--help"], new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["DOTNET_ROOT"] = "/nonexistent" });
        help.Code.Should().Be(0, help.Error);
        help.Output.Should().Contain("activate").And.Contain("ocf");
    }

    [SkippableFact]
    public async Task AgentsInstalledFromIt_RunIt_AndPassOcfTester_ForTheVip()
    {
        Skip.IfNot(File.Exists(OcfTester), "ocf-tester is not installed (apt-get install resource-agents; .ci/run does).");
        var root = Path.Combine(_work, "root");
        var install = await Processes.RunAsync(_tool.Program, ["ocf", "install", "--root", root]);
        install.Code.Should().Be(0, install.Error);
        var agent = Path.Combine(root, "usr", "lib", "ocf", "resource.d", "clusterpro", "awsvip");
        (await File.ReadAllTextAsync(agent)).Should().Contain($"'{_tool.Program}' ocf awsvip", "an agent installed from the native tool runs the native tool");

        var s = _ready.GetProperty("scenario");
        var args = new List<string> { "-n", "awsvip-native" };
        foreach (var option in new[] { "ip=" + s.GetProperty("vip").GetString(), "vpc_id=" + s.GetProperty("vpcId").GetString(), "eni_id=" + s.GetProperty("node2").GetProperty("eniId").GetString(), "region=" + _ready.GetProperty("region").GetString(), "endpoint=" + Endpoint })
        {
            args.AddRange(["-o", option]);
        }

        args.Add(agent);
        var state = Directory.CreateDirectory(Path.Combine(_work, "state")).FullName;
        var tested = await Processes.RunAsync(OcfTester, args, new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = _ready.GetProperty("accessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = _ready.GetProperty("secretAccessKey").GetString()!,
            ["HA_RSCTMP"] = state,
        });

        tested.Code.Should().Be(0, tested.Output + tested.Error);
        tested.Output.Should().Contain("clusterpro/awsvip passed all tests");
    }

    /// <summary>The native tool, published once for the class (a few minutes: the AOT compiler).</summary>
    public sealed class Published : IAsyncLifetime
    {
        private readonly string _work = Directory.CreateTempSubdirectory("clusterpro-aot-").FullName;

        /// <summary>The publish folder.</summary>
        public string Folder => Path.Combine(_work, "native");

        /// <summary>The executable.</summary>
        public string Program => Path.Combine(Folder, "clusterpro");

        public async Task InitializeAsync()
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            var copy = SourceTree.Copy(SourceTree.RepositoryRoot(), Path.Combine(_work, "repo"), "src", "samples/ClusterPro.Samples.ConsoleHost");
            var publish = await SourceTree.RunAsync("dotnet", copy, "publish", Path.Combine(copy, "samples", "ClusterPro.Samples.ConsoleHost"), "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", Folder, "--nologo");
            if (publish.Code != 0 || !File.Exists(Program))
            {
                throw new InvalidOperationException($"dotnet publish -p:PublishAot=true failed ({publish.Code}):{Environment.NewLine}{publish.Output}");
            }
        }

        public Task DisposeAsync()
        {
            Directory.Delete(_work, recursive: true);
            return Task.CompletedTask;
        }
    }
}
