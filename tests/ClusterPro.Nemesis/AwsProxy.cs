using System.Net;
using System.Net.Sockets;

namespace ClusterPro.Nemesis;

/// <summary>
/// One node's way to AWS: an HTTP proxy on loopback in front of the one emulator (the node's <c>AWS_ENDPOINT_URL</c>).
/// Requests are forwarded byte for byte, so signatures stay valid; the nemesis adds latency (to every call or to one
/// operation), resets connections (an endpoint that refuses) or never answers (a black hole). Every call is recorded with
/// the instances it names, so the checker knows who fenced whom and when.
/// </summary>
internal sealed class AwsProxy : IAsyncDisposable
{
    private readonly object _sync = new();
    private readonly TcpListener _listener;
    private readonly IPEndPoint _upstream;
    private readonly Func<string, string?> _nodeByInstance;
    private readonly Action<AwsCall> _onCall;
    private readonly Action<string, HttpRequestBytes> _onRequest;
    private readonly RunClock _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly Dictionary<string, double> _latency = [];
    private readonly Dictionary<string, double> _answerLatency = [];
    private OutageMode? _outage;
    private TaskCompletionSource _outageOver = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Listens on a free loopback port and starts proxying.</summary>
    /// <param name="node">The node it serves.</param>
    /// <param name="upstream">The emulator.</param>
    /// <param name="nodeByInstance">Maps an instance ID to its node.</param>
    /// <param name="clock">The run clock.</param>
    /// <param name="onCall">Called for every call forwarded or dropped.</param>
    /// <param name="onRequest">Called as each request arrives, before any fault applies (schedule triggers).</param>
    public AwsProxy(string node, Uri upstream, Func<string, string?> nodeByInstance, RunClock clock, Action<AwsCall> onCall, Action<string, HttpRequestBytes> onRequest)
    {
        Node = node;
        _upstream = new IPEndPoint(IPAddress.Loopback, upstream.Port);
        _nodeByInstance = nodeByInstance;
        _clock = clock;
        _onCall = onCall;
        _onRequest = onRequest;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accept = Task.Run(() => TcpAccept.EachAsync(_listener, ServeAsync, _stop.Token));
    }

    /// <summary>The node it serves.</summary>
    public string Node { get; }

    /// <summary>The endpoint the node uses.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Whether calls get through (no outage).</summary>
    public bool Ok
    {
        get
        {
            lock (_sync)
            {
                return _outage is null;
            }
        }
    }

    /// <summary>The latency added to every call (0 when none, or only to some operations).</summary>
    public double Latency
    {
        get
        {
            lock (_sync)
            {
                return _latency.GetValueOrDefault("*");
            }
        }
    }

    /// <summary>Adds <paramref name="seconds"/> to every call, or to <paramref name="operation"/>'s.</summary>
    /// <param name="seconds">The latency.</param>
    /// <param name="operation">An operation, or null for all.</param>
    /// <param name="answer">
    /// False: the request waits before it reaches AWS. True: it reaches AWS at once (and takes effect) and its answer
    /// waits before it reaches the node.
    /// </param>
    public void SetLatency(double seconds, string? operation, bool answer)
    {
        lock (_sync)
        {
            (answer ? _answerLatency : _latency)[operation ?? "*"] = seconds;
        }
    }

    /// <summary>Starts an outage.</summary>
    /// <param name="mode">How calls fail.</param>
    public void SetOutage(OutageMode mode)
    {
        lock (_sync)
        {
            _outage = mode;
        }
    }

    /// <summary>Clean calls again: no latency, no outage (requests held in a black hole are dropped).</summary>
    public void Heal()
    {
        TaskCompletionSource over;
        lock (_sync)
        {
            _latency.Clear();
            _answerLatency.Clear();
            _outage = null;
            over = _outageOver;
            _outageOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        over.TrySetResult();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        Heal();
        try
        {
            await _accept.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        _stop.Dispose();
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        client.Dispose();
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var upstream = new TcpClient();
        try
        {
            client.NoDelay = true;
            await upstream.ConnectAsync(_upstream, cancellationToken).ConfigureAwait(false);
            upstream.NoDelay = true;
            var down = client.GetStream();
            var up = upstream.GetStream();
            using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var answers = new AnswerGate();
            var responses = Task.Run(
                async () =>
                {
                    // The emulator closed the connection: so does the node's side.
                    await PumpAsync(up, down, answers, _clock, both.Token).ConfigureAwait(false);
                    await both.CancelAsync().ConfigureAwait(false);
                },
                CancellationToken.None);
            var reader = new HttpRequestReader(down);
            while (await reader.ReadAsync(both.Token).ConfigureAwait(false) is { } request)
            {
                if (!await ForwardAsync(request, down, up, answers, both.Token).ConfigureAwait(false))
                {
                    break;
                }
            }

            await both.CancelAsync().ConfigureAwait(false);
            await responses.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Reset(client);
        }
    }

    /// <summary>Applies the faults to one request and forwards it; false when the connection is to be reset.</summary>
    private async Task<bool> ForwardAsync(HttpRequestBytes request, Stream down, Stream up, AnswerGate answers, CancellationToken cancellationToken)
    {
        var operation = request.Operation;
        var targets = operation is "StopInstances" or "StartInstances" or "DescribeInstances"
            ? request.Form("InstanceId").Select(_nodeByInstance).Where(n => n is not null).Select(n => n!).ToList()
            : [];
        _onRequest(Node, request);
        double delay;
        double answerDelay;
        lock (_sync)
        {
            delay = _latency.GetValueOrDefault("*") + _latency.GetValueOrDefault(operation);
            answerDelay = _answerLatency.GetValueOrDefault("*") + _answerLatency.GetValueOrDefault(operation);
        }

        await RunClock.DelayAsync(delay, cancellationToken).ConfigureAwait(false);
        OutageMode? outage;
        Task over;
        lock (_sync)
        {
            outage = _outage;
            over = _outageOver.Task;
        }

        if (outage is OutageMode.Refuse)
        {
            _onCall(new AwsCall(_clock.Now, Node, operation, targets, "refused"));
            return false;
        }

        if (outage is OutageMode.BlackHole)
        {
            _onCall(new AwsCall(_clock.Now, Node, operation, targets, "black-holed"));

            // Hold the request unanswered until the caller gives up or the outage ends; then drop it.
            var closed = down.ReadAsync(new byte[1], cancellationToken).AsTask();
            await Task.WhenAny(closed, over).ConfigureAwait(false);
            return false;
        }

        // The node waits for this answer before it sends another request on this connection: holding the answer's
        // bytes until then delays exactly this call's answer.
        answers.NotBefore = _clock.Now + answerDelay;
        await up.WriteAsync(request.Raw, cancellationToken).ConfigureAwait(false);
        await up.FlushAsync(cancellationToken).ConfigureAwait(false);
        _onCall(new AwsCall(_clock.Now, Node, operation, targets, answerDelay > 0 ? FormattableString.Invariant($"forwarded, answer held {answerDelay:0.0##} s") : "forwarded"));
        return true;
    }

    private static async Task PumpAsync(Stream from, Stream to, AnswerGate answers, RunClock clock, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await RunClock.DelayAsync(answers.NotBefore - clock.Now, cancellationToken).ConfigureAwait(false);
                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>When the answer on one connection may reach the node (run seconds).</summary>
    private sealed class AnswerGate
    {
        private double _notBefore;

        public double NotBefore
        {
            get => Volatile.Read(ref _notBefore);
            set => Volatile.Write(ref _notBefore, value);
        }
    }
}
