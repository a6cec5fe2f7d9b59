using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Hosting;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ClusterPro.Core.Tests.Hosting;

/// <summary>
/// Nodes hosted by the Generic Host (AddFailoverManager): real hosts, real UDP heartbeats on loopback, real time with
/// bounded waits. A host's stop is a planned stop; the host's shutdown timeout, when it runs out first, cuts it short.
/// </summary>
public sealed class ClusterProNodeServiceTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly Dictionary<string, string> _endpoints = new(StringComparer.OrdinalIgnoreCase) { ["node1"] = $"127.0.0.1:{FreeUdpPort()}", ["node2"] = $"127.0.0.1:{FreeUdpPort()}" };
    private readonly ConcurrentDictionary<string, string> _owner = new();
    private readonly List<IHost> _hosts = [];

    /// <summary>How each node's resource deactivates (default: at once).</summary>
    private Func<ResourceContext, CancellationToken, Task<ResourceResult>> Deactivate { get; set; } = (ctx, _) => Task.FromResult(ResourceResult.Success([$"released by {ctx.NodeName}"]));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        await Task.CompletedTask;
    }

    private IHost Build(string? node, Action<ClusterProOptions>? adjust = null, Action<IClusterProBuilder>? more = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var cluster = builder.Services.AddClusterPro(o =>
        {
            o.AddNode("node1").AddNode("node2");
            o.Heartbeat.Interval = TimeSpan.FromMilliseconds(100);
            o.Heartbeat.Timeout = TimeSpan.FromSeconds(2);
            o.Heartbeat.Key = "a-shared-secret-of-32-characters";
            foreach (var (name, endpoint) in _endpoints)
            {
                o.Heartbeat.Endpoints[name] = endpoint;
            }

            o.Failover.FenceRetryInterval = TimeSpan.FromMilliseconds(50);
            o.Failover.FenceRetryMax = TimeSpan.FromMilliseconds(100);
            adjust?.Invoke(o);
        });
        cluster.AddGroupResource("failover1", "app1", _ => new DelegateGroupResource(
            "app1",
            (ctx, _) =>
            {
                _owner["failover1"] = ctx.NodeName;
                return Task.FromResult(ResourceResult.Success([$"app1 -> {ctx.NodeName}"]));
            },
            (ctx, ct) => Deactivate(ctx, ct)));
        more?.Invoke(cluster);
        if (node is null)
        {
            cluster.AddFailoverManager();
        }
        else
        {
            cluster.AddFailoverManager(node);
        }

        var host = builder.Build();
        _hosts.Add(host);
        return host;
    }

    private static async Task<FailoverEvent> Next(ClusterProNode node, FailoverEventKind kind, string? subject = null)
    {
        var next = new TaskCompletionSource<FailoverEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        node.Event += (_, e) =>
        {
            if (e.Kind == kind && (subject is null || e.Subject == subject))
            {
                next.TrySetResult(e);
            }
        };
        return await next.Task.WaitAsync(Wait);
    }

    [Fact]
    public async Task HostStop_IsAPlannedStop_ThePeerTakesTheGroupAtOnce_WithoutTimeoutOrFence()
    {
        var host1 = Build("node1");
        var host2 = Build("node2");
        var node1 = host1.Services.GetRequiredService<ClusterProNode>();
        var node2 = host2.Services.GetRequiredService<ClusterProNode>();
        var up = Next(node1, FailoverEventKind.GroupActivated, "failover1");
        await host1.StartAsync();
        await host2.StartAsync();
        (await up).Succeeded.Should().BeTrue();
        node1.NodeName.Should().Be("node1");
        (await node2.Started).NodeName.Should().Be("node2");

        var takeover = Next(node2, FailoverEventKind.GroupActivated, "failover1");
        await host1.StopAsync();
        var taken = await takeover;

        node1.StopOutcome.Should().Be(NodeStopOutcome.Planned);
        taken.Succeeded.Should().BeTrue();
        _owner["failover1"].Should().Be("node2");
        node2.Manager!.Events.Should().NotContain(e => e.Kind == FailoverEventKind.FenceStarted || e.Kind == FailoverEventKind.HeartbeatLost)
            .And.Contain(e => e.Kind == FailoverEventKind.PeerLeft && e.Subject == "node1");
        node1.Manager!.SteppedDown.Should().BeTrue();
        await host2.StopAsync();
        node2.StopOutcome.Should().Be(NodeStopOutcome.Planned);
    }

    [Fact]
    public async Task NodeLeavesOnItsOwn_TheHostStops_OutcomeLeftOnItsOwn()
    {
        var host1 = Build("node1");
        var node1 = host1.Services.GetRequiredService<ClusterProNode>();
        var lifetime = host1.Services.GetRequiredService<IHostApplicationLifetime>();
        var up = Next(node1, FailoverEventKind.GroupActivated, "failover1");
        await host1.StartAsync();
        (await up).Succeeded.Should().BeTrue();

        // What a network-partition action or a final action that stops the cluster service does: the manager stops
        // while the host is not stopping.
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
        await node1.Manager!.StopAsync(deactivateGroups: true);
        await stopping.Task.WaitAsync(Wait);
        await host1.StopAsync();

        node1.StopOutcome.Should().Be(NodeStopOutcome.LeftOnItsOwn, "a process that holds and decides nothing must not look alive to its service manager");
        node1.Manager.GetView().Groups.Should().NotContain(g => g.LocalState == GroupClaimState.Activating || g.LocalState == GroupClaimState.Active || g.LocalState == GroupClaimState.Deactivating || g.LocalState == GroupClaimState.Stuck, "it released what it held");
    }

    [Fact]
    public async Task HostStop_ReleaseFails_TheNodeLeavesHoldingTheGroup_OutcomeIncomplete()
    {
        Deactivate = (_, _) => Task.FromResult(ResourceResult.Failure(50, "Failed in the AWS API call."));
        var host1 = Build("node1", Alone);
        var node1 = host1.Services.GetRequiredService<ClusterProNode>();
        var up = Next(node1, FailoverEventKind.GroupActivated, "failover1");
        await host1.StartAsync();
        await up;

        await host1.StopAsync();

        node1.StopOutcome.Should().Be(NodeStopOutcome.Incomplete);
        node1.GetView().Groups.Single().LocalState.Should().Be(GroupClaimState.Stuck, "peers see that it still holds the group, and fence before taking it");
    }

    [Fact]
    public async Task HostStop_HostShutdownTimeoutRunsOutFirst_StopsWhereItStands_OutcomeCut()
    {
        var releasing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Deactivate = async (_, ct) =>
        {
            releasing.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return ResourceResult.Success([]);
        };
        var host1 = Build("node1", Alone);
        var node1 = host1.Services.GetRequiredService<ClusterProNode>();
        var up = Next(node1, FailoverEventKind.GroupActivated, "failover1");
        await host1.StartAsync();
        await up;
        using var hostTimeout = new CancellationTokenSource();

        var stop = host1.StopAsync(hostTimeout.Token);
        await releasing.Task.WaitAsync(Wait);
        await hostTimeout.CancelAsync();
        await stop.WaitAsync(Wait);

        node1.StopOutcome.Should().Be(NodeStopOutcome.Cut);
    }

    [Fact]
    public async Task Start_HostedWithoutKeyOrEndpoints_FailsBeforeStarting_ListingEachProblemOnce()
    {
        var host = Build("node1", o =>
        {
            o.Heartbeat.Key = null;
            o.Heartbeat.Endpoints.Clear();
        });
        var node = host.Services.GetRequiredService<ClusterProNode>();
        Environment.GetEnvironmentVariable(HeartbeatOptions.KeyEnvironmentVariable).Should().BeNull("the test process has no key in its environment");

        var start = () => host.StartAsync();

        var problems = ConfigurationProblems.Read((await start.Should().ThrowAsync<Exception>()).Which);
        problems.Should().BeEquivalentTo(
            "ClusterPro:Heartbeat:Endpoints is empty, but this process hosts a node; give every node its heartbeat address, e.g. \"Endpoints\": { \"node1\": \"10.0.110.100:5405\", \"node2\": \"10.0.120.101:5405\" }.",
            "ClusterPro:Heartbeat:Key is not set; set a shared secret of at least 16 characters in ClusterPro:Heartbeat:Key or the CLUSTERPRO_HEARTBEAT_KEY environment variable, the same on every node.");
        node.Manager.Should().BeNull("nothing started");
        _owner.Should().BeEmpty();
    }

    [Fact]
    public async Task Start_ShortKey_FailsAtStart_NotLater()
    {
        var host = Build("node1", o => o.Heartbeat.Key = "short");

        var start = () => host.StartAsync();

        ConfigurationProblems.Read((await start.Should().ThrowAsync<Exception>()).Which)
            .Should().ContainSingle().Which.Should().StartWith("ClusterPro:Heartbeat:Key is shorter than 16 characters");
    }

    [Fact]
    public async Task Start_NodeNotSet_NoResolver_NamesTheSetting()
    {
        var host = Build(null);
        var node = host.Services.GetRequiredService<ClusterProNode>();

        var start = () => host.StartAsync();

        ConfigurationProblems.Read((await start.Should().ThrowAsync<ClusterProConfigurationException>()).Which)
            .Should().ContainSingle().Which.Should().StartWith("ClusterPro:Node is not set; name this process's node (node1, node2) there (or with --node)");
        await node.Invoking(n => n.Started).Should().ThrowAsync<ClusterProConfigurationException>();
    }

    [Fact]
    public async Task Start_NodeNotACLusterNode_IsAStartUpError()
    {
        var host = Build("node9");

        var start = () => host.StartAsync();

        ConfigurationProblems.Read((await start.Should().ThrowAsync<Exception>()).Which)
            .Should().ContainSingle().Which.Should().StartWith("ClusterPro:Node is 'node9', which is not a cluster node (node1, node2)");
    }

    [Fact]
    public async Task Start_NodeFromAResolver_RunsThatNode()
    {
        var host = Build(null, more: b => b.UseNodeResolver<Node2Resolver>());
        var node = host.Services.GetRequiredService<ClusterProNode>();

        await host.StartAsync();

        (await node.Started).NodeName.Should().Be("node2");
        await host.StopAsync();
    }

    [Fact]
    public void AddFailoverManager_TwiceIsOneHostedNode()
    {
        var services = new ServiceCollection();

        services.AddClusterPro().AddFailoverManager().AddFailoverManager("node1");

        services.Count(d => d.ServiceType == typeof(IHostedService)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(ClusterProNode)).Should().Be(1);
    }

    /// <summary>A one-node cluster: node1 starts its group without waiting for a peer.</summary>
    private static void Alone(ClusterProOptions o)
    {
        o.Nodes.RemoveAt(1);
        o.Heartbeat.Endpoints.Remove("node2");
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private sealed class Node2Resolver : IClusterNodeResolver
    {
        public Task<(string Node, string How)> ResolveNodeAsync(ClusterProOptions cluster, CancellationToken cancellationToken = default) =>
            Task.FromResult(("node2", "a test says so"));
    }
}
