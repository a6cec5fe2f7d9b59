using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Discovery;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.Tests.Discovery;

/// <summary>A hosted node without ClusterPro:Node finds itself from its instance's metadata (IMDSv2, the emulator's per-instance endpoint).</summary>
public sealed class InstanceMetadataNodeResolverTests : IAsyncLifetime
{
    private AwsEmulator _emulator = null!;

    public async Task InitializeAsync() =>
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private async Task<(string Node, string How)> ResolveAsync(string instanceId, Dictionary<string, string?>? extra = null)
    {
        var imds = await _emulator.StartInstanceMetadataAsync(instanceId);
        var settings = _emulator.Scenario!.ToClusterConfiguration();
        settings["ClusterPro:NodeIdentity:Type"] = "imds";
        settings["ClusterPro:NodeIdentity:Metadata:Endpoint"] = imds.ToString();
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<Amazon.EC2.IAmazonEC2>(_emulator.CreateEc2Client());
        services.AddClusterPro(configuration).AddAwsFromConfiguration(configuration);
        await using var sp = services.BuildServiceProvider();
        return await sp.GetRequiredService<IClusterNodeResolver>().ResolveNodeAsync(sp.GetRequiredService<IOptions<ClusterProOptions>>().Value);
    }

    [Fact]
    public async Task ResolveNodeAsync_TheInstanceOfNode2_IsNode2_ByItsFencingInstanceId()
    {
        var s = _emulator.Scenario!;

        var (node, how) = await ResolveAsync(s.Node2.InstanceId);

        node.Should().Be("node2");
        how.Should().Be($"instance {s.Node2.InstanceId} (from its metadata service) is node2's in ClusterPro:Fencing:InstanceId");
    }

    [Fact]
    public async Task ResolveNodeAsync_NodeIdentityInstanceIds_TakePrecedence()
    {
        var s = _emulator.Scenario!;

        var (node, how) = await ResolveAsync(s.Node1.InstanceId, new()
        {
            ["ClusterPro:NodeIdentity:InstanceId:Nodes:node1"] = s.Node2.InstanceId,
            ["ClusterPro:NodeIdentity:InstanceId:Nodes:node2"] = s.Node1.InstanceId,
        });

        node.Should().Be("node2");
        how.Should().EndWith("ClusterPro:NodeIdentity:InstanceId");
    }

    [Fact]
    public async Task ResolveNodeAsync_AnInstanceOfNoNode_FailsNamingTheSettings()
    {
        var s = _emulator.Scenario!;
        var act = () => ResolveAsync(s.Node1.InstanceId, new()
        {
            ["ClusterPro:Fencing:InstanceId:Nodes:node1"] = "i-0aaaaaaaaaaaaaaa1",
            ["ClusterPro:Fencing:InstanceId:Nodes:node2"] = "i-0aaaaaaaaaaaaaaa2",
        });

        (await act.Should().ThrowAsync<ClusterProConfigurationException>()).Which.Message.Should().Be(
            $"This instance ({s.Node1.InstanceId}, from its metadata service) is none of the nodes' instances (node1: i-0aaaaaaaaaaaaaaa1, node2: i-0aaaaaaaaaaaaaaa2); set ClusterPro:Node (or --node), or fix the instance IDs in ClusterPro:Fencing:InstanceId.");
    }

    [Fact]
    public async Task ResolveNodeAsync_MetadataServiceSilent_FailsAsAnOutage_NotAConfigurationProblem()
    {
        _emulator.Faults.Hang("IMDS");
        var act = () => ResolveAsync(_emulator.Scenario!.Node1.InstanceId, new() { ["ClusterPro:NodeIdentity:Metadata:Timeout"] = "00:00:00.200", ["ClusterPro:NodeIdentity:Metadata:Attempts"] = "1" });

        var thrown = (await act.Should().ThrowExactlyAsync<InvalidOperationException>()).Which;
        thrown.Message.Should().StartWith("Instance metadata unreachable at http://127.0.0.1:")
            .And.Contain("the node's identity is unknown (ClusterPro:Node is not set): The instance metadata service at");
        ConfigurationProblems.Read(thrown).Should().BeNull("an outage is retried by the service manager; a configuration problem (exit 64) is not");
    }

    [Fact]
    public async Task ResolveNodeAsync_MetadataServiceRefusesConnections_FailsAsAnOutage_NotAConfigurationProblem()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var act = () => ResolveAsync(_emulator.Scenario!.Node1.InstanceId, new() { ["ClusterPro:NodeIdentity:Metadata:Endpoint"] = $"http://127.0.0.1:{port}/", ["ClusterPro:NodeIdentity:Metadata:Attempts"] = "1" });

        var thrown = (await act.Should().ThrowExactlyAsync<InvalidOperationException>()).Which;
        thrown.Message.Should().StartWith($"Instance metadata unreachable at http://127.0.0.1:{port}/");
        ConfigurationProblems.Read(thrown).Should().BeNull();
    }
}
