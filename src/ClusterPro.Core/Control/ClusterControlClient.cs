using System.Net;
using System.Net.Sockets;
using ClusterPro.Failover;

namespace ClusterPro.Control;

/// <summary>
/// An operator's end of the control channel: asks running nodes over their heartbeat endpoints, authenticated by the
/// cluster's heartbeat key (whoever holds the key can already speak for any node, so the key is the operator's
/// credential too). Every call has a time budget: a request is sent again every <see cref="RetryInterval"/> until the
/// node answers or the budget runs out, and a node that does not answer is reported as such, never waited for longer.
/// </summary>
public sealed class ClusterControlClient : IDisposable
{
    private readonly byte[] _key;
    private readonly IReadOnlyDictionary<string, IPEndPoint> _nodes;
    private readonly TimeProvider _time;
    private readonly UdpClient _udp;
    private readonly Dictionary<string, TaskCompletionSource<ControlResponse>> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;

    /// <summary>Creates a client for the nodes of <paramref name="heartbeat"/>'s endpoints.</summary>
    /// <param name="heartbeat">The cluster's heartbeat settings: the key and every node's endpoint.</param>
    /// <param name="timeProvider">Time; the system's when <see langword="null"/>.</param>
    /// <exception cref="InvalidOperationException">No key, or an endpoint that is not <c>address:port</c>.</exception>
    public ClusterControlClient(HeartbeatOptions heartbeat, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        _key = heartbeat.ResolveKey();
        _nodes = heartbeat.Endpoints.ToDictionary(
            e => e.Key,
            e => IPEndPoint.TryParse(e.Value, out var endpoint) && endpoint.Port != 0
                ? endpoint
                : throw new InvalidOperationException($"ClusterPro:Heartbeat:Endpoints:{e.Key} is '{e.Value}'; use address:port, e.g. 10.0.110.100:5405."),
            StringComparer.OrdinalIgnoreCase);
        _time = timeProvider ?? TimeProvider.System;
        var family = _nodes.Values.FirstOrDefault()?.AddressFamily ?? AddressFamily.InterNetwork;
        _udp = new UdpClient(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        _receiving = Task.Run(ReceiveAsync);
    }

    /// <summary>How often an unanswered request is sent again. <value>Default: 250 ms.</value></summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The nodes this client can ask (those with a heartbeat endpoint).</summary>
    public IReadOnlyCollection<string> Nodes => _nodes.Keys.ToList();

    /// <summary>Creates a request with a new id and this machine's clock.</summary>
    /// <param name="command">What to ask.</param>
    /// <returns>The request; set its other properties with <c>with</c>.</returns>
    public ControlRequest NewRequest(ControlCommand command) =>
        new(command, Guid.NewGuid().ToString("N"), _time.GetUtcNow().ToUnixTimeMilliseconds()) { From = $"operator@{Environment.MachineName}" };

    /// <summary>Asks one node.</summary>
    /// <param name="node">The node.</param>
    /// <param name="request">The request.</param>
    /// <param name="budget">How long to wait for its answer.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The answer, or <see langword="null"/> when the node did not answer within the budget.</returns>
    /// <exception cref="ArgumentException"><paramref name="node"/> has no heartbeat endpoint.</exception>
    public async Task<ControlResponse?> AskAsync(string node, ControlRequest request, TimeSpan budget, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_nodes.TryGetValue(node, out var endpoint))
        {
            throw new ArgumentException($"{node} has no endpoint in ClusterPro:Heartbeat:Endpoints ({string.Join(", ", _nodes.Keys)}).", nameof(node));
        }

        // One waiter per node and request: the same request may go to several nodes at once.
        var key = $"{request.Id}/{node.ToUpperInvariant()}";
        var waiter = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[key] = waiter;
        }

        try
        {
            var packet = ControlCodec.Encode(request, _key);
            using var deadline = new CancellationTokenSource(budget, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken, _closing.Token);
            while (!waiter.Task.IsCompleted)
            {
                try
                {
                    await _udp.SendAsync(packet, endpoint, linked.Token).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // Unreachable for now: asked again until the budget runs out.
                }

                await Task.WhenAny(waiter.Task, Task.Delay(RetryInterval, _time, linked.Token)).ConfigureAwait(false);
            }

            return await waiter.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        finally
        {
            lock (_pending)
            {
                _pending.Remove(key);
            }
        }
    }

    /// <summary>Asks every node at once (each with the same request id, so a command acts once per node).</summary>
    /// <param name="request">The request.</param>
    /// <param name="budget">How long to wait for the answers.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>Every node's answer, <see langword="null"/> for a node that did not answer.</returns>
    public async Task<IReadOnlyDictionary<string, ControlResponse?>> AskAllAsync(ControlRequest request, TimeSpan budget, CancellationToken cancellationToken = default)
    {
        var names = _nodes.Keys.ToList();
        var answers = await Task.WhenAll(names.Select(n => AskAsync(n, request, budget, cancellationToken))).ConfigureAwait(false);
        return names.Zip(answers).ToDictionary(x => x.First, x => x.Second, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every node's report (<see cref="ControlCommand.Status"/>).</summary>
    /// <param name="budget">How long to wait for the answers.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>Every node's report, <see langword="null"/> for a node that did not answer.</returns>
    public async Task<IReadOnlyDictionary<string, NodeReport?>> GetReportsAsync(TimeSpan budget, CancellationToken cancellationToken = default)
    {
        var answers = await AskAllAsync(NewRequest(ControlCommand.Status), budget, cancellationToken).ConfigureAwait(false);
        return answers.ToDictionary(a => a.Key, a => a.Value?.Report, StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _closing.Cancel();
        _udp.Dispose();
        try
        {
            _receiving.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _closing.Dispose();
    }

    private async Task ReceiveAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            UdpReceiveResult result;
            try
            {
                result = await _udp.ReceiveAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // An ICMP "port unreachable" from a node that is down: its request simply goes unanswered.
                continue;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            if (ControlCodec.TryDecode(result.Buffer, _key, out var envelope) && envelope!.Response is { } response)
            {
                lock (_pending)
                {
                    if (_pending.TryGetValue($"{response.Id}/{response.Node.ToUpperInvariant()}", out var waiter))
                    {
                        waiter.TrySetResult(response);
                    }
                }
            }
        }
    }
}
