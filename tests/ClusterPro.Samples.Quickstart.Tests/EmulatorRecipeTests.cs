// <emulator-recipe-usings>
using System.Net;
using System.Net.Sockets;
using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
// </emulator-recipe-usings>

namespace ClusterPro.Samples.Quickstart.Tests;

/// <summary>The README's recipe for testing a hosted node without AWS: the emulator in-process, the real SDK against it.</summary>
public class EmulatorRecipeTests
{
    // <emulator-recipe>
    [Fact]
    public async Task HostedNode_OnTheEmulator_TakesTheGroup_AndAPlannedStopReleasesIt()
    {
        await using var emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical });
        var s = emulator.Scenario!;                       // VPC, 3 route tables with VIP 10.1.0.20, EIP, zone hz1.local., 2 instances
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });  // the test's settings only
        builder.Configuration.AddInMemoryCollection(s.ToClusterConfiguration(new CanonicalClusterSettings
        {
            HeartbeatPorts = new Dictionary<string, int> { ["node1"] = FreeUdpPort(), ["node2"] = FreeUdpPort() },
            NetworkPartitionTarget = emulator.Endpoint,   // the emulator answers the network-partition probe
        }));
        builder.Services.AddSingleton<IAmazonEC2>(emulator.CreateEc2Client());
        builder.Services.Configure<ClusterProAwsOptions>(o => { o.Route53Endpoint = emulator.Endpoint; o.Route53Credentials = emulator.Credentials; });
        builder.Services.AddClusterPro(builder.Configuration).AddAwsFromConfiguration(builder.Configuration).AddFailoverManager("node1");
        using var host = builder.Build();
        var node = host.Services.GetRequiredService<ClusterProNode>();
        var activated = new TaskCompletionSource<FailoverEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Event += (_, e) => { if (e.Kind == FailoverEventKind.GroupActivated) { activated.TrySetResult(e); } };

        await host.StartAsync();                          // node2 never answers: node1 fences its instance, then takes failover1
        (await activated.Task.WaitAsync(TimeSpan.FromSeconds(30))).Succeeded.Should().BeTrue();
        s.VipRouteTables.Should().OnlyContain(t => emulator.Inspect.RouteTarget(t, s.VipCidr) == s.Node1.EniId);
        emulator.Inspect.AddressTarget(s.EipAllocationId).Should().Be(s.Node1.EniId);

        await host.StopAsync();                           // a planned stop: failover1 is released in order
        node.StopOutcome.Should().Be(NodeStopOutcome.Planned);
        emulator.Inspect.AddressTarget(s.EipAllocationId).Should().BeNull();
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
    // </emulator-recipe>
}
