using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;

namespace ClusterPro.Nemesis;

/// <summary>
/// Samples the ground truth every <see cref="Timing.SampleInterval"/>: the emulator's state (routes, EIP, record,
/// instances) and what the nemesis knows of every process, AWS path, NP target and link. It is also the power-off
/// watcher: a node whose instance is stopped (or stopping, per <see cref="PowerOffMode"/>) while its process lives has
/// that process killed at once, as pulling the plug would. Changes go to the timeline.
/// </summary>
internal sealed class Sampler
{
    private readonly EmulatorProcess _emulator;
    private readonly Topology _topology;
    private readonly ClusterShape _shape;
    private readonly IReadOnlyDictionary<string, NodeProcess> _nodes;
    private readonly IReadOnlyDictionary<string, AwsProxy> _proxies;
    private readonly IReadOnlyDictionary<string, NpTarget> _targets;
    private readonly HeartbeatRelay _relay;
    private readonly History _history;
    private readonly Timeline _timeline;
    private readonly RunClock _clock;
    private readonly double _interval;
    private string? _lastOwners;
    private string? _lastInstances;
    private int _failures;

    /// <summary>Prepares the sampler over a running cluster.</summary>
    /// <param name="cluster">The cluster's parts.</param>
    /// <param name="history">Where samples go.</param>
    /// <param name="timeline">Where changes go.</param>
    /// <param name="clock">The run clock.</param>
    /// <param name="interval">Seconds between samples.</param>
    public Sampler(ClusterParts cluster, History history, Timeline timeline, RunClock clock, double interval)
    {
        _emulator = cluster.Emulator;
        _topology = cluster.Topology;
        _shape = cluster.Shape;
        _nodes = cluster.Nodes;
        _proxies = cluster.Proxies;
        _targets = cluster.Targets;
        _relay = cluster.Relay;
        _history = history;
        _timeline = timeline;
        _clock = clock;
        _interval = interval;
    }

    /// <summary>Samples until cancelled.</summary>
    /// <param name="cancellationToken">Ends the loop.</param>
    /// <returns>A task.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var previous = double.NaN;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _clock.Now;
            if (!double.IsNaN(previous))
            {
                // How late this sample is: on a machine too busy to run the suite on time, the nodes are late too.
                _history.MaxSamplerLag = Math.Max(_history.MaxSamplerLag, started - previous - _interval);
            }

            previous = started;
            try
            {
                await SampleAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or JsonException or TaskCanceledException or KeyNotFoundException or InvalidOperationException)
            {
                if (++_failures <= 3)
                {
                    _timeline.Add("sampler", $"could not read the emulator's state: {ex.Message}");
                }
            }

            try
            {
                await RunClock.DelayAsync(_interval - (_clock.Now - started), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Takes one sample now (and cuts the power of stopped instances' processes).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The sample.</returns>
    public async Task<Sample> SampleAsync(CancellationToken cancellationToken)
    {
        var aws = AwsState.Parse(await _emulator.StateAsync(cancellationToken).ConfigureAwait(false), _topology);
        var t = _clock.Now;
        foreach (var (name, node) in _nodes)
        {
            var instance = aws.Instances.GetValueOrDefault(name, "unknown");
            var off = instance == "stopped" || (_shape.PowerOff == PowerOffMode.AtStopping && instance == "stopping");
            if (off && node.Kill(powerOff: true))
            {
                _history.AddFault(t, $"power-off {name}");
                _timeline.Add(t, "nemesis", $"power-off: {name}'s instance is {instance}; its process is killed");
            }
        }

        var sample = new Sample(
            t,
            aws.Owners,
            [.. _shape.Names.Select(n => new NodeSample(n, _nodes[n].State, aws.Instances.GetValueOrDefault(n, "unknown"), _proxies[n].Ok, _proxies[n].Latency, _targets[n].Reachable))],
            _relay.Faulted());
        _history.Add(sample);
        Report(sample);
        return sample;
    }

    private void Report(Sample sample)
    {
        var names = _topology.ResourceNames;
        var vip = sample.Owners.Take(_topology.VipRouteTables.Count).Distinct().ToList();
        var owners = $"vip->{(vip.Count == 1 ? vip[0] ?? "none" : string.Join(",", sample.Owners.Take(_topology.VipRouteTables.Count).Select(o => o ?? "none")))} "
            + $"eip->{sample.Owners[names.Count - 2] ?? "none"} dns->{sample.Owners[names.Count - 1] ?? "none"}";
        if (owners != _lastOwners)
        {
            _lastOwners = owners;
            _timeline.Add(sample.T, "aws", owners + (sample.Split ? "  (resources on different nodes)" : ""));
        }

        var instances = string.Join(" ", sample.Nodes.Select(n => $"{n.Name}:{n.Instance}"));
        if (instances != _lastInstances)
        {
            if (_lastInstances is not null)
            {
                _timeline.Add(sample.T, "aws", "instances " + instances);
            }

            _lastInstances = instances;
        }
    }
}
