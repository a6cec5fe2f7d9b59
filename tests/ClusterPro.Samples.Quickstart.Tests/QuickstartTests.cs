using System.Net;
using System.Net.Sockets;
using ClusterPro.Aws.Testing;
using ClusterPro.Samples.Tests;

namespace ClusterPro.Samples.Quickstart.Tests;

/// <summary>
/// The README's quickstart as the process a newcomer runs: its appsettings.json, pointed at the emulator by environment
/// variables only (AWS endpoint and credentials, the scenario's IDs, loopback heartbeats), until Ctrl+C.
/// </summary>
public sealed class QuickstartTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private AwsEmulator _emulator = null!;

    public async Task InitializeAsync() =>
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Quickstart_RunsNode1UntilCtrlC_ThenReleasesTheGroupInOrder_AndExits0()
    {
        var s = _emulator.Scenario!;
        await using var quickstart = ChildProcess.Start("ClusterPro.Samples.Quickstart.dll", Environment(_emulator));

        await quickstart.WaitForAsync("node1: GroupActivated failover1", Wait);
        var routes = s.VipRouteTables.Select(t => _emulator.Inspect.RouteTarget(t, s.VipCidr)).ToList();
        var eip = _emulator.Inspect.AddressTarget(s.EipAllocationId);
        await quickstart.SignalAsync("INT");
        var exit = await quickstart.WaitForExitAsync(Wait);

        routes.Should().OnlyContain(target => target == s.Node1.EniId);
        eip.Should().Be(s.Node1.EniId);
        exit.Should().Be(0, quickstart.Output + quickstart.Error);
        quickstart.Output.Should().Contain("node1: planned stop done in");
        _emulator.Inspect.AddressTarget(s.EipAllocationId).Should().BeNull("the planned stop released the Elastic IP");
    }

    /// <summary>The README's appsettings.json pointed at the emulator by environment variables only, as node1.</summary>
    internal static Dictionary<string, string> Environment(AwsEmulator emulator)
    {
        var s = emulator.Scenario!;
        const string Resources = "ClusterPro__Groups__failover1__Resources__";
        return new Dictionary<string, string>(emulator.EnvironmentVariables)
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["CLUSTERPRO_HEARTBEAT_KEY"] = "a-shared-secret-of-32-characters",
            ["ClusterPro__Node"] = "node1",
            ["ClusterPro__Heartbeat__Endpoints__node1"] = $"127.0.0.1:{FreeUdpPort()}",
            ["ClusterPro__Heartbeat__Endpoints__node2"] = $"127.0.0.1:{FreeUdpPort()}",
            ["ClusterPro__NetworkPartition__Http__0__Host"] = "127.0.0.1",
            ["ClusterPro__NetworkPartition__Http__0__Port"] = emulator.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ClusterPro__NetworkPartition__Http__0__UseTls"] = "false",
            ["ClusterPro__NetworkPartition__Http__0__Path"] = "/_emulator/health",
            ["ClusterPro__Fencing__InstanceId__Nodes__node1"] = s.Node1.InstanceId,
            ["ClusterPro__Fencing__InstanceId__Nodes__node2"] = s.Node2.InstanceId,
            ["ClusterPro__HostAddresses__node1__Kind"] = "memory",
            [Resources + "0__VpcId"] = s.VpcId,
            [Resources + "0__EniId__Nodes__node1"] = s.Node1.EniId,
            [Resources + "0__EniId__Nodes__node2"] = s.Node2.EniId,
            [Resources + "1__AllocationId"] = s.EipAllocationId,
            [Resources + "1__EniId__Nodes__node1"] = s.Node1.EniId,
            [Resources + "1__EniId__Nodes__node2"] = s.Node2.EniId,
        };
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
