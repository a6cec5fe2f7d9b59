using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ClusterPro.Applications.Exec;
using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Monitoring;
using ClusterPro.Partition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Applications.Tests.Failover;

/// <summary>
/// Two real failover managers (real heartbeats on loopback, real time) running one exec service with a process monitor:
/// the service dies, the monitor sees it and its ladder restarts it; it dies again at once, and the ladder fails the
/// group over to the other node, whose service is told it runs because of a failover from node1. With a start-up grace
/// the broken restart fails at once instead, and the group moves through the resource's own activation-failure handling.
/// </summary>
public sealed class ServiceLadderTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly Scratch _scratch = new();
    private readonly Microsoft.Extensions.Logging.Testing.FakeLoggerProvider _logs = new();

    public void Dispose()
    {
        _logs.Dispose();
        _scratch.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    public async Task AServiceThatDies_IsRestartedByTheLadder_ThenFailedOver_AndTheNewOwnerIsToldWhy(int startupGraceMs)
    {
        var service = _scratch.Script("service.sh", $"""
            echo "$CLUSTERPRO_EVENT ${"{"}CLUSTERPRO_PEER:-none{"}"}" >> {_scratch.Root}/$CLUSTERPRO_NODE.events
            echo $$ > {_scratch.Root}/$CLUSTERPRO_NODE.pid
            if [ -f {_scratch.Root}/$CLUSTERPRO_NODE.broken ]; then echo "cannot open the data directory" >&2; exit 3; fi
            exec sleep 300
            """);
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug));
        services.AddClusterPro(o =>
            {
                o.AddNode("node1");
                o.AddNode("node2");
                o.Heartbeat.Interval = TimeSpan.FromMilliseconds(100);
                o.Heartbeat.Timeout = TimeSpan.FromSeconds(3);   // generous: a loaded machine must not split the two at start-up
                o.Heartbeat.Key = "a-shared-secret-of-32-characters";
                o.Heartbeat.Endpoints["node1"] = $"127.0.0.1:{FreeUdpPort()}";
                o.Heartbeat.Endpoints["node2"] = $"127.0.0.1:{FreeUdpPort()}";
            })
            .AddExec("failover1", "app1", o =>
            {
                o.Start = [service];
                o.Mode = ExecMode.Service;
                o.StartupGrace = TimeSpan.FromMilliseconds(startupGraceMs);
            })
            .AddProcessMonitor("appw1", o => o.Resource = "app1", m =>
            {
                m.Interval = TimeSpan.FromMilliseconds(500);   // the broken restart below has exited well before the next check
                m.RetryCount = 0;
                m.Recovery.ReactivationThreshold = 1;
                m.Recovery.FailoverThreshold = 1;
            });
        await using var sp = services.BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();
        var factory = sp.GetRequiredService<ClusterProFactory>();
        var exec = (ExecResource)sp.GetRequiredKeyedService<Resources.IGroupResource>("app1");
        await using var node1 = factory.CreateFailoverManager("node1", resolvers: [new Reachable()]);
        await using var node2 = factory.CreateFailoverManager("node2", resolvers: [new Reachable()]);
        var steps = new ConcurrentQueue<RecoveryStep>();
        var normal = 0;
        node1.Monitors.Single().CycleCompleted += (_, c) =>
        {
            if (c.Recovery != RecoveryStep.None)
            {
                steps.Enqueue(c.Recovery);
            }

            if (c.Monitored && c.Check.Status == MonitorStatus.Normal)
            {
                Interlocked.Increment(ref normal);
            }
        };

        try
        {
            var activated = node1.NextEventAsync(FailoverEventKind.GroupActivated);
            await node1.StartAsync();
            await node2.StartAsync();
            (await activated.WaitAsync(Wait)).Succeeded.Should().BeTrue();
            var first = exec.ServiceStatus("node1");
            first.Running.Should().BeTrue();
            (await Eventually.TrueAsync(() => Lines("node1").Length == 1, Wait)).Should().BeTrue("the service's script has run");

            // The service dies: the monitor sees it, and its ladder's first step restarts it.
            Pids.Kill(first.Pid!.Value);
            (await Eventually.TrueAsync(() => !steps.IsEmpty && Lines("node1").Length == 2 && exec.ServiceStatus("node1") is { Running: true } s && s.Pid != first.Pid, Wait))
                .Should().BeTrue($"the service is restarted; {Describe(node1, steps)}");
            steps.Should().Equal(RecoveryStep.Reactivate);
            var seen = Volatile.Read(ref normal);
            (await Eventually.TrueAsync(() => Volatile.Read(ref normal) > seen, Wait)).Should().BeTrue("the monitor finds the restarted service running, and its ladder starts afresh");

            // It dies again and is restarted again, but now exits at once: the restart is used up, so the ladder fails the group over.
            var takeover = node2.NextEventAsync(FailoverEventKind.GroupActivated);
            File.WriteAllText(_scratch.Path("node1.broken"), string.Empty);
            Pids.Kill(exec.ServiceStatus("node1").Pid!.Value);
            var started = TimeProvider.System.GetTimestamp();
            (await takeover.WaitAsync(Wait)).Succeeded.Should().BeTrue();
            Console.WriteLine($"start-up grace {startupGraceMs} ms: node2 took failover1 {TimeProvider.System.GetElapsedTime(started).TotalSeconds:0.00} s after the service was killed the second time");

            (await Eventually.TrueAsync(() => Lines("node2").Length > 0 && Lines("node1").Length >= 3, Wait)).Should().BeTrue(Describe(node1, steps));
            if (startupGraceMs == 0)
            {
                // The broken restart "succeeds" (it exits after), so the monitor's next check finds it dead: its ladder's
                // next step is the failover.
                steps.Where(s => s != RecoveryStep.SkippedTargetInactive).Should().Equal(RecoveryStep.Reactivate, RecoveryStep.Reactivate, RecoveryStep.Failover);
                Lines("node1").Should().Equal("start none", "start none", "start none");
            }
            else
            {
                // The broken restart fails within its start-up grace: the reactivation fails, the group is degraded, and
                // the resource's own activation-failure handling (apply again, then fail over) moves it, a few seconds later.
                steps.Where(s => s != RecoveryStep.SkippedTargetInactive).Should().StartWith([RecoveryStep.Reactivate, RecoveryStep.Reactivate]);
                Lines("node1").Should().OnlyContain(l => l == "start none");
            }

            exec.ServiceStatus("node2").Running.Should().BeTrue();
            Lines("node2").Should().Equal("failover node1");
            node1.GetView().Groups.Single().LocalState.Should().NotBe(GroupClaimState.Active);
        }
        finally
        {
            await node2.StopAsync();
            await node1.StopAsync();
        }

        exec.ServiceStatus("node2").Running.Should().BeFalse("a planned stop stops the service");
    }

    private string Describe(FailoverManager node, IEnumerable<RecoveryStep> steps) =>
        $"script: {string.Join(" / ", Lines(node.NodeName))}; steps: {string.Join(", ", steps)}; {node.NodeName}: {string.Join(" / ", node.Events.Select(e => $"{e.Kind} {e.Subject} {e.Detail}"))}"
        + Environment.NewLine + string.Join(Environment.NewLine, _logs.Collector.GetSnapshot().Select(r => $"{r.Timestamp:HH:mm:ss.fff} {r.Category} {r.Message}"));

    private string[] Lines(string node) => _scratch.Read($"{node}.events").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private sealed class Reachable : INetworkPartitionResolver
    {
        public string Name => "np1";

        public Task<PartitionProbeResult> ProbeAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new PartitionProbeResult(Name, PartitionProbeStatus.Reachable, "reachable"));
    }
}
