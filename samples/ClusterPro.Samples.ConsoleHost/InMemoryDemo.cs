using System.Collections.Concurrent;
using System.Diagnostics;
using ClusterPro.DependencyInjection;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// The demo on in-memory resources: a shared "world" (who owns the VIP route, who holds the record)
/// stands in for AWS. Brings failover1 up on node1, drifts a route behind its back (the monitor repairs
/// it), then kills node1 and brings the group up on node2.
/// </summary>
internal static class InMemoryDemo
{
    public static async Task<int> RunAsync(TextWriter output)
    {
        var world = new ConcurrentDictionary<string, string>();
        var services = new ServiceCollection();
        services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"))
            .AddGroupResource("failover1", "vip1", _ => Owned("vip1", world))
            .AddGroupResource("failover1", "dns1", _ => Owned("dns1", world), o => o.DependsOn.Add("vip1"))
            .AddMonitor("vipw1", _ => new DelegateMonitorResource("vipw1", (ctx, _) => Task.FromResult(
                world.TryGetValue("vip1", out var owner) && owner == ctx.NodeName
                    ? MonitorResult.Normal()
                    : MonitorResult.Error(56, "The routing for VIP 10.1.0.20 was changed."))),
                o => { o.RetryCount = 0; o.Recovery.Target = "vip1"; });
        await using var sp = services.BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();
        var factory = sp.GetRequiredService<ClusterProFactory>();
        var clock = Stopwatch.StartNew();
        void Say(string text) => output.WriteLine($"{clock.Elapsed.TotalMilliseconds,8:0.0} ms  {text}");

        var node1 = factory.CreateGroup("failover1");
        var node2 = factory.CreateGroup("failover1");
        Say((await node1.ActivateAsync("node1")).ToString());

        var actions = new GroupRecoveryActions(node1, "node1");
        var monitor = factory.CreateMonitorRunner("vipw1", "node1", actions);
        world["vip1"] = "someone-else";
        Say("drift: the route for 10.1.0.20 now points elsewhere");
        var cycle = await monitor.RunCycleAsync();
        Say($"vipw1 {cycle.Check} -> recovery {cycle.Recovery}");
        Say($"vipw1 {(await monitor.RunCycleAsync()).Reported}");

        Say("node1 fails");
        var failure = clock.Elapsed;
        var up = await node2.ActivateAsync("node2");
        Say(up.ToString());
        var healthy = world.Values.All(v => v == "node2");
        Say($"group failover1 healthy on node2: {healthy}; recovery took {(clock.Elapsed - failure).TotalMilliseconds:0.0} ms");
        return up.Succeeded && healthy ? 0 : 1;
    }

    private static DelegateGroupResource Owned(string name, ConcurrentDictionary<string, string> world) => new(
        name,
        (ctx, ct) =>
        {
            ct.ThrowIfCancellationRequested();
            var previous = world.TryGetValue(name, out var p) ? p : "none";
            if (previous == ctx.NodeName)
            {
                return Task.FromResult(ResourceResult.Unchanged());
            }

            world[name] = ctx.NodeName;
            return Task.FromResult(ResourceResult.Success([$"{name}: {previous} -> {ctx.NodeName}"]));
        },
        (ctx, ct) =>
        {
            ct.ThrowIfCancellationRequested();
            return Task.FromResult(world.TryRemove(new KeyValuePair<string, string>(name, ctx.NodeName))
                ? ResourceResult.Success([$"{name}: released by {ctx.NodeName}"])
                : ResourceResult.Unchanged());
        });

    /// <summary>Recovery actions for one node's group: reactivation only (failover is the failover manager's job).</summary>
    private sealed class GroupRecoveryActions(FailoverGroup group, string node) : IRecoveryActions
    {
        public bool IsAnyOtherNodeHealthy => true;

        public bool IsActive(RecoveryTarget target) => group.IsResourceActive(target.Name);

        public bool IsResourceActive(string resourceName) => group.IsResourceActive(resourceName);

        public async Task<bool> ReactivateAsync(RecoveryTarget target, CancellationToken cancellationToken = default) =>
            (await group.ReactivateResourceAsync(target.Name, node, cancellationToken)).Succeeded;

        public Task<bool> RequestFailoverAsync(RecoveryTarget target, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task ExecuteFinalActionAsync(Failover.FinalActionRequest request, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
