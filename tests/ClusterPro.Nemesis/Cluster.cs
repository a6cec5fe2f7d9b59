using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Nemesis;

/// <summary>
/// One run's cluster: the standalone emulator, node3 added to its scenario when there are three nodes, the witness
/// table, the heartbeat relay, one AWS proxy and one NP target per node, each node's configuration file, and the node
/// processes; the sampler watching all of it; and the nemesis's hands (<see cref="ApplyAsync"/>, <see cref="HealAsync"/>).
/// </summary>
internal sealed class Cluster : IAsyncDisposable
{
    private static readonly TimeSpan StartWithin = TimeSpan.FromSeconds(30);

    /// <summary>The longest a fence can take (its stop timeout and a call), waited for after healing.</summary>
    private readonly double _fenceWait;
    private readonly ClusterParts _parts;
    private readonly History _history;
    private readonly Timeline _timeline;
    private readonly RunClock _clock;
    private readonly Sampler _sampler;
    private readonly CancellationTokenSource _stop = new();
    private Task _sampling = Task.CompletedTask;

    private Cluster(ClusterParts parts, History history, Timeline timeline, RunClock clock, Timing timing)
    {
        _parts = parts;
        _history = history;
        _timeline = timeline;
        _clock = clock;
        _sampler = new Sampler(parts, history, timeline, clock, timing.SampleInterval);
        _fenceWait = timing.FenceStopTimeout + timing.FenceAwsCallTimeout;
    }

    /// <summary>Raised with the caller's name when a StopInstances request reaches a node's proxy.</summary>
    public event Action<string>? StopRequested;

    /// <summary>The AWS side.</summary>
    public Topology Topology => _parts.Topology;

    /// <summary>
    /// Brings a cluster up: everything started, every node running, the sampler going, and the group served by one
    /// node (its first activation).
    /// </summary>
    /// <param name="shape">The cluster.</param>
    /// <param name="timing">The settings.</param>
    /// <param name="binaries">The folder holding clusterpro.dll and ClusterPro.Aws.Emulator.dll.</param>
    /// <param name="dir">The run's folder.</param>
    /// <param name="seed">Seeds the relay's packet loss.</param>
    /// <param name="history">The run's history.</param>
    /// <param name="timeline">The run's timeline.</param>
    /// <param name="clock">The run clock.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running cluster.</returns>
    public static async Task<Cluster> StartAsync(ClusterShape shape, Timing timing, string binaries, string dir, int seed, History history, Timeline timeline, RunClock clock, CancellationToken cancellationToken)
    {
        var emulator = await EmulatorProcess.StartAsync(Path.Combine(binaries, "ClusterPro.Aws.Emulator.dll"), Path.Combine(dir, "emulator.log"), timing, cancellationToken).ConfigureAwait(false);
        var topology = Topology.FromScenario(emulator.Scenario);
        if (shape.Nodes == 3)
        {
            var node3 = await emulator.AddNodeAsync("node3", topology.VpcId, "10.0.130.0/24", "ap-northeast-1d", "10.0.130.102", cancellationToken).ConfigureAwait(false);
            topology = topology with { Nodes = [.. topology.Nodes, node3] };
        }

        if (shape.Witness)
        {
            await emulator.CreateWitnessTableAsync(ConfigWriter.WitnessTable, cancellationToken).ConfigureAwait(false);
        }

        var names = shape.Names;
        var ports = names.ToDictionary(n => n, _ => FreeUdpPort());
        var relay = new HeartbeatRelay(ports, seed);
        var targets = names.ToDictionary(n => n, _ => new NpTarget());
        Cluster? cluster = null;
        var proxies = names.ToDictionary(n => n, n => new AwsProxy(
            n,
            emulator.Endpoint,
            topology.NodeByInstance,
            clock,
            call =>
            {
                history.Add(call);
                if (call.Operation is "StopInstances" or "StartInstances")
                {
                    timeline.Add(call.T, n, $"-> AWS {call.Operation} {string.Join(",", call.Targets)} ({call.Outcome})");
                }
            },
            (node, request) =>
            {
                if (request.Operation == "StopInstances")
                {
                    cluster?.StopRequested?.Invoke(node);
                }
            }));
        var nodes = new Dictionary<string, NodeProcess>();
        var binary = Path.Combine(binaries, "clusterpro.dll");
        foreach (var name in names)
        {
            var config = Path.Combine(dir, $"{name}.json");
            await File.WriteAllTextAsync(config, ConfigWriter.For(topology, shape, timing, name, ports[name], peer => relay.PortFor(name, peer), targets[name].Port).ToJsonString(new() { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
            var environment = new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL"] = proxies[name].Endpoint.ToString().TrimEnd('/'),
                ["AWS_ACCESS_KEY_ID"] = emulator.AccessKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = emulator.SecretAccessKey,
                ["AWS_REGION"] = emulator.Region,
                ["CLUSTERPRO_HEARTBEAT_KEY"] = "nemesis-heartbeat-key-of-32-chars",
                ["DOTNET_gcServer"] = "0",
            };
            nodes[name] = new NodeProcess(
                name,
                binary,
                config,
                environment,
                Path.Combine(dir, $"{name}.log"),
                clock,
                e =>
                {
                    history.Add(e);
                    timeline.Add(e.T, e.Node, $"{e.Kind} {e.Subject}: {e.Detail}");
                },
                note => timeline.Add("process", note));
        }

        cluster = new Cluster(new ClusterParts(emulator, topology, shape, nodes, proxies, targets, relay), history, timeline, clock, timing);
        timeline.Add("nemesis", $"cluster: {shape}; emulator {emulator.Endpoint}; logs in {dir}");
        foreach (var node in nodes.Values)
        {
            node.Start();
        }

        foreach (var node in nodes.Values)
        {
            if (!await node.WaitReadyAsync(StartWithin, cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"{node.Name} did not start within {StartWithin.TotalSeconds:0} s; see {dir}/{node.Name}.log");
            }
        }

        cluster._sampling = Task.Run(() => cluster._sampler.RunAsync(cluster._stop.Token), CancellationToken.None);
        var deadline = clock.Now + StartWithin.TotalSeconds;
        while (history.Latest is not { Served: true })
        {
            if (clock.Now > deadline)
            {
                throw new InvalidOperationException($"failover1 was not served by one node within {StartWithin.TotalSeconds:0} s of the start; see {dir}");
            }

            await RunClock.DelayAsync(0.05, cancellationToken).ConfigureAwait(false);
        }

        history.ServedFrom = history.Latest.T;
        return cluster;
    }

    /// <summary>Does <paramref name="action"/> (roles resolved against the latest sample) and records it.</summary>
    /// <param name="action">The action, its roles resolved except <c>owner</c> and <c>standby</c>.</param>
    /// <param name="cancellationToken">Cancels waits (a start waits for the instance and the process).</param>
    /// <returns>The action as done, with node names.</returns>
    public async Task<NemesisAction> ApplyAsync(NemesisAction action, CancellationToken cancellationToken)
    {
        var resolved = action.Resolved(Resolve(action.Node), action.Peer is null ? null : Resolve(action.Peer));
        if (resolved.Peer is not null && resolved.Peer == resolved.Node)
        {
            // A role resolved to the node itself (the owner is the peer named): the link to the next node instead.
            resolved = resolved with { Peer = _parts.Shape.Names.First(n => n != resolved.Node) };
        }

        var role = resolved.Node != action.Node ? $" ({action.Node})" : "";
        var t = _clock.Now;
        _history.AddFault(t, resolved.ToString());
        _timeline.Add(t, "nemesis", resolved + role);
        var node = resolved.Node;
        switch (resolved.Kind)
        {
            case ActionKind.Kill:
                _parts.Nodes[node].Kill();
                break;
            case ActionKind.Start:
                await StartNodeAsync(node, cancellationToken).ConfigureAwait(false);
                break;
            case ActionKind.Pause:
                _parts.Nodes[node].Pause();
                break;
            case ActionKind.Resume:
                _parts.Nodes[node].Resume();
                break;
            case ActionKind.Isolate:
                _parts.Relay.SetAll(node, LinkRule.Down);
                break;
            case ActionKind.Rejoin:
                _parts.Relay.SetAll(node, LinkRule.Clean);
                break;
            case ActionKind.CutLink:
                _parts.Relay.Set(node, resolved.Peer!, LinkRule.Down);
                break;
            case ActionKind.LinkLoss:
                _parts.Relay.Set(node, resolved.Peer!, new LinkRule(false, resolved.Value, TimeSpan.Zero));
                _parts.Relay.Set(resolved.Peer!, node, new LinkRule(false, resolved.Value, TimeSpan.Zero));
                break;
            case ActionKind.LinkDelay:
                _parts.Relay.Set(node, resolved.Peer!, new LinkRule(false, 0, TimeSpan.FromSeconds(resolved.Value)));
                break;
            case ActionKind.AwsLatency:
                _parts.Proxies[node].SetLatency(resolved.Value, resolved.Operation, answer: false);
                break;
            case ActionKind.AwsSlowAnswer:
                _parts.Proxies[node].SetLatency(resolved.Value, resolved.Operation, answer: true);
                break;
            case ActionKind.AwsOutage:
                _parts.Proxies[node].SetOutage(resolved.Mode);
                break;
            case ActionKind.AwsHeal:
                _parts.Proxies[node].Heal();
                break;
            case ActionKind.NpDown:
                _parts.Targets[node].Reachable = false;
                break;
            case ActionKind.NpUp:
                _parts.Targets[node].Reachable = true;
                break;
            case ActionKind.PowerOff:
                await _parts.Emulator.StopInstanceAsync(_parts.Topology.Node(node).InstanceId, cancellationToken).ConfigureAwait(false);
                break;
            case ActionKind.HealAll:
                await HealAsync(cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action.Kind, "Unknown action.");
        }

        return resolved;
    }

    /// <summary>
    /// Heals everything: links clean, AWS clean, NP targets answering, frozen processes woken; stopped instances started
    /// (as an operator would), dead processes started again; returns once every node runs and no fence begun during the
    /// faults is still under way (one that stops a node after all is waited for, and the node started again).
    /// </summary>
    /// <param name="cancellationToken">Cancels the waits.</param>
    /// <returns>A task.</returns>
    public async Task HealAsync(CancellationToken cancellationToken)
    {
        for (var round = 1; ; round++)
        {
            await HealOnceAsync(cancellationToken).ConfigureAwait(false);
            var deadline = _clock.Now + _fenceWait;
            if (FencesUnderWay().Count > 0)
            {
                while (FencesUnderWay().Count > 0 && _clock.Now < deadline)
                {
                    await RunClock.DelayAsync(0.1, cancellationToken).ConfigureAwait(false);
                }

                // The power-off watcher's next samples see what the fence stopped.
                await RunClock.DelayAsync(0.3, cancellationToken).ConfigureAwait(false);
            }

            if (_parts.Nodes.Values.All(n => n.State == ProcState.Running) || round == 3)
            {
                return;
            }

            _timeline.Add("nemesis", "a fence begun during the faults stopped a node after the heal: healing again");
        }
    }

    /// <summary>
    /// The fences a running node has begun and not finished (FenceStarted without a later FenceCompleted from the same
    /// incarnation): (fencer, peer).
    /// </summary>
    /// <returns>The fences under way.</returns>
    public IReadOnlyList<(string Fencer, string Peer)> FencesUnderWay()
    {
        var open = new HashSet<(string, string)>();
        foreach (var e in _history.Events)
        {
            if (e.Kind == "Started")
            {
                open.RemoveWhere(f => f.Item1 == e.Node);
            }
            else if (e.Kind == "FenceStarted")
            {
                open.Add((e.Node, e.Subject));
            }
            else if (e.Kind == "FenceCompleted")
            {
                open.Remove((e.Node, e.Subject));
            }
        }

        return [.. open.Where(f => _parts.Nodes[f.Item1].State == ProcState.Running)];
    }

    private async Task HealOnceAsync(CancellationToken cancellationToken)
    {
        _parts.Relay.HealAll();
        foreach (var proxy in _parts.Proxies.Values)
        {
            proxy.Heal();
        }

        foreach (var target in _parts.Targets.Values)
        {
            target.Reachable = true;
        }

        foreach (var node in _parts.Nodes.Values)
        {
            node.Resume();
        }

        await Task.WhenAll(_parts.Nodes.Keys.Select(n => StartNodeAsync(n, cancellationToken))).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sampling.ConfigureAwait(false);
        await Task.WhenAll(_parts.Nodes.Values.Select(n => n.DisposeAsync().AsTask())).ConfigureAwait(false);
        foreach (var proxy in _parts.Proxies.Values)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var target in _parts.Targets.Values)
        {
            await target.DisposeAsync().ConfigureAwait(false);
        }

        await _parts.Relay.DisposeAsync().ConfigureAwait(false);
        await _parts.Emulator.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    private string Resolve(string node)
    {
        var latest = _history.Latest;
        var owner = latest?.Owner ?? latest?.Owners.GroupBy(o => o).Where(g => g.Key is not null and not "?").OrderByDescending(g => g.Count()).FirstOrDefault()?.Key ?? "node1";
        return node switch
        {
            NemesisAction.Owner => owner,
            NemesisAction.Standby => _parts.Shape.Names.FirstOrDefault(n => n != owner && _parts.Nodes[n].State == ProcState.Running) ?? _parts.Shape.Names.First(n => n != owner),
            _ => node,
        };
    }

    /// <summary>Starts a node's process again, first starting its instance if it is stopped (waiting out a stop in progress).</summary>
    private async Task StartNodeAsync(string name, CancellationToken cancellationToken)
    {
        var node = _parts.Nodes[name];
        if (node.Alive)
        {
            return;
        }

        // As an operator would: start the instance once it is stopped, and again if a node stops it again (a peer
        // still counting it lost may fence it once more); the process starts once the instance runs.
        var instanceId = _parts.Topology.Node(name).InstanceId;
        var deadline = _clock.Now + StartWithin.TotalSeconds;
        var previous = "running";
        while (true)
        {
            var state = (await _sampler.SampleAsync(cancellationToken).ConfigureAwait(false)).Node(name).Instance;
            if (state == "running")
            {
                break;
            }

            if (state == "stopped" && previous != "stopped")
            {
                await _parts.Emulator.StartInstanceAsync(instanceId, cancellationToken).ConfigureAwait(false);
                _timeline.Add("nemesis", $"StartInstances {name} ({instanceId}), as an operator would");
                state = "pending";
            }

            previous = state;

            if (_clock.Now > deadline)
            {
                throw new InvalidOperationException($"{name}'s instance is still {state} after {StartWithin.TotalSeconds:0} s.");
            }

            await RunClock.DelayAsync(0.1, cancellationToken).ConfigureAwait(false);
        }

        node.Start();
        if (!await node.WaitReadyAsync(StartWithin, cancellationToken).ConfigureAwait(false))
        {
            if (node.State == ProcState.PoweredOff)
            {
                // A peer stopped the instance again while the node started: the power-off is the outcome (healing
                // tries again).
                _timeline.Add("nemesis", $"{name}'s instance was stopped again while it started");
                return;
            }

            throw new InvalidOperationException($"{name} did not start again within {StartWithin.TotalSeconds:0} s ({node.State}).");
        }

        _timeline.Add("process", $"{name} runs again (a new incarnation)");
    }
}
