using System.Text.Json;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Ocf.Tests;

/// <summary>
/// The installed agents, checked by Pacemaker's own tools against the standalone emulator (a process): ocf-tester
/// (Debian's resource-agents) for each agent, and crm_resource (pacemaker-cli-utils) forcing start, check and stop of
/// awsvip without a cluster. crm_resource finds agents only in /usr/lib/ocf/resource.d (compiled in; OCF_ROOT is what
/// it passes to the agent, not where it looks), so it runs in a private mount namespace where the temporary root's
/// usr/lib/ocf is bind-mounted over /usr/lib/ocf: nothing is written outside the test's directory.
/// </summary>
public sealed class PacemakerToolTests : IAsyncLifetime
{
    private const string OcfTester = "/usr/sbin/ocf-tester";
    private const string CrmResource = "/usr/sbin/crm_resource";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _work = Directory.CreateTempSubdirectory("clusterpro-ocf-").FullName;
    private ChildProcess _emulator = null!;
    private JsonElement _ready;
    private JsonElement _s;

    private string Root => Path.Combine(_work, "root");

    private string Endpoint => _ready.GetProperty("endpoint").GetString()!;

    public async Task InitializeAsync()
    {
        if (!OperatingSystem.IsWindows())
        {
            // A temporary directory is the owner's alone; ocf-tester runs meta-data as nobody, who must reach the agents.
            File.SetUnixFileMode(_work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        _emulator = ChildProcess.Start("ClusterPro.Aws.Emulator.dll", null, "--port", "0", "--dns-port", "-1", "--scenario", "canonical", "--propagation-delay", "0", "--exit-on-stdin-close");
        await _emulator.WaitForAsync("\"endpoint\"", Wait);
        _ready = JsonDocument.Parse(_emulator.Lines.First(l => l.Contains("\"endpoint\"", StringComparison.Ordinal))).RootElement.Clone();
        _s = _ready.GetProperty("scenario");
        var install = await Processes.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "clusterpro.dll"), "ocf", "install", "--root", Root]);
        install.Code.Should().Be(0, install.Error);
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Install_WritesTheThreeAgents_ExecutableScriptsThatRunTheTool()
    {
        var directory = Path.Combine(Root, "usr", "lib", "ocf", "resource.d", "clusterpro");

        Directory.GetFiles(directory).Select(Path.GetFileName).Should().BeEquivalentTo(["awsvip", "awseip", "awsdns"]);
        foreach (var agent in Directory.GetFiles(directory))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(agent).Should().HaveFlag(UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
            }

            (await File.ReadAllTextAsync(agent)).Should().StartWith("#!/bin/sh").And.Contain($"clusterpro.dll' ocf {Path.GetFileName(agent)} \"$@\"");
        }

        var metadata = await Processes.RunAsync(Path.Combine(directory, "awseip"), ["meta-data"]);
        metadata.Code.Should().Be(0);
        metadata.Output.Should().Contain("<resource-agent name=\"awseip\"");
    }

    [SkippableTheory]
    [InlineData("awsvip")]
    [InlineData("awseip")]
    [InlineData("awsdns")]
    public async Task OcfTester_PassesForEachAgent_AgainstTheEmulator(string agent)
    {
        Skip.IfNot(File.Exists(OcfTester), "ocf-tester is not installed (apt-get install resource-agents; .ci/run does).");
        string[] options = agent switch
        {
            "awsvip" => ["ip=" + S("vip"), "vpc_id=" + S("vpcId"), "eni_id=" + S("node2.eniId")],
            "awseip" => ["allocation_id=" + S("eipAllocationId"), "eni_id=" + S("node2.eniId")],
            _ => ["hosted_zone_id=" + S("hostedZoneId"), "record=" + S("recordName"), "address=" + S("node2.privateIp"), "ttl=60"],
        };
        var args = new List<string> { "-n", agent + "-tested" };
        foreach (var option in options.Concat(["region=" + _ready.GetProperty("region").GetString(), "endpoint=" + Endpoint]))
        {
            args.AddRange(["-o", option]);
        }

        args.Add(Path.Combine(Root, "usr", "lib", "ocf", "resource.d", "clusterpro", agent));

        var tested = await Processes.RunAsync(OcfTester, args, AgentEnvironment(agent));

        Console.WriteLine(tested.Output.Trim());
        tested.Code.Should().Be(0, tested.Output + tested.Error);
        tested.Output.Should().Contain($"clusterpro/{agent} passed all tests");
    }

    [SkippableFact]
    public async Task CrmResource_ForceStartCheckStop_MovesTheVipOnTheEmulator_AndReportsTheOcfCodes()
    {
        Skip.IfNot(File.Exists(CrmResource), "crm_resource is not installed (apt-get install pacemaker-cli-utils; .ci/run does).");
        Skip.IfNot(Directory.Exists("/usr/lib/ocf") && await Processes.WorksAsync("/usr/bin/unshare", "--mount", "true"), "crm_resource looks for agents in /usr/lib/ocf only, and this host allows no private mount namespace to show it the test's agents there (unshare --mount needs root).");
        string[] vip = ["ip=" + S("vip"), "vpc_id=" + S("vpcId"), "eni_id=" + S("node2.eniId"), "region=" + _ready.GetProperty("region").GetString(), "endpoint=" + Endpoint];
        var tables = _s.GetProperty("vipRouteTables").EnumerateArray().Select(t => t.GetString()!).ToList();

        var probe = await CrmAsync("--force-check", vip);
        var start = await CrmAsync("--force-start", vip);
        var targets = await RouteTargetsAsync(tables);
        var check = await CrmAsync("--force-check", vip);
        await DriftAsync(tables[1], S("node1.eniId"));
        var drifted = await CrmAsync("--force-check", vip);
        var repaired = await CrmAsync("--force-start", vip);
        var checkAgain = await CrmAsync("--force-check", vip);
        var stop = await CrmAsync("--force-stop", vip);
        var stopped = await CrmAsync("--force-check", vip);
        var bad = await CrmAsync("--force-start", [.. vip, "ip=10.1.0.300"]);

        Console.WriteLine(string.Join(Environment.NewLine, new[] { probe, start, check, drifted, repaired, checkAgain, stop, stopped, bad }.Select(r => r.Output.Trim())));
        probe.Code.Should().Be(7, probe.Output + probe.Error);
        probe.Output.Should().Contain("Operation force-check (ocf:clusterpro:awsvip) returned 7 (not running)");
        start.Code.Should().Be(0, start.Output + start.Error);
        targets.Should().OnlyContain(t => t == S("node2.eniId"), "the VIP moved to node2 in every route table");
        check.Code.Should().Be(0, check.Output + check.Error);
        drifted.Code.Should().Be(1, "a route taken away is a failed resource");
        repaired.Code.Should().Be(0);
        (await RouteTargetsAsync(tables)).Should().OnlyContain(t => t == S("node2.eniId"));
        checkAgain.Code.Should().Be(0);
        stop.Code.Should().Be(0, stop.Output + stop.Error);
        stopped.Code.Should().Be(7);
        bad.Code.Should().Be(6, "a parameter that cannot work is OCF_ERR_CONFIGURED");
        (bad.Output + bad.Error).Should().Contain("OCF parameter 'ip' is '10.1.0.300'");
    }

    private Task<(int Code, string Output, string Error)> CrmAsync(string operation, IEnumerable<string> options)
    {
        var args = new List<string> { "--mount", "/bin/sh", "-c", "mount --bind \"$0\" /usr/lib/ocf && exec /usr/sbin/crm_resource \"$@\"", Path.Combine(Root, "usr", "lib", "ocf"), operation, "--class", "ocf", "--provider", "clusterpro", "--agent", "awsvip" };
        foreach (var option in options)
        {
            args.AddRange(["--option", option]);
        }

        return Processes.RunAsync("/usr/bin/unshare", args, AgentEnvironment("awsvip"));
    }

    private Dictionary<string, string> AgentEnvironment(string agent)
    {
        var state = Path.Combine(_work, "state-" + agent);
        Directory.CreateDirectory(state);
        return new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = _ready.GetProperty("accessKeyId").GetString()!,
            ["AWS_SECRET_ACCESS_KEY"] = _ready.GetProperty("secretAccessKey").GetString()!,
            ["HA_RSCTMP"] = state,
        };
    }

    private string S(string path) => path.Split('.').Aggregate(_s, (e, name) => e.GetProperty(name)).GetString()!;

    private async Task<List<string?>> RouteTargetsAsync(IReadOnlyList<string> tables)
    {
        using var http = new HttpClient();
        var state = JsonDocument.Parse(await http.GetStringAsync(new Uri(Endpoint + "/_emulator/state"))).RootElement;
        var routeTables = state.GetProperty("regions").EnumerateArray().SelectMany(r => r.GetProperty("routeTables").EnumerateArray()).ToList();
        return tables.Select(id => routeTables.Single(t => t.GetProperty("id").GetString() == id).GetProperty("routes").EnumerateArray()
            .Where(r => r.GetProperty("cidr").GetString() == S("vipCidr"))
            .Select(r => r.TryGetProperty("networkInterfaceId", out var eni) ? eni.GetString() : null).Single()).ToList();
    }

    private async Task DriftAsync(string table, string eni)
    {
        using var http = new HttpClient();
        using var body = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["routeTableId"] = table, ["destinationCidr"] = S("vipCidr"), ["networkInterfaceId"] = eni }), System.Text.Encoding.UTF8, "application/json");
        (await http.PostAsync(new Uri(Endpoint + "/_emulator/drift/route"), body)).EnsureSuccessStatusCode();
    }
}
