using System.Globalization;

namespace ClusterPro.Applications.Probing;

/// <summary>
/// A client of the service, measuring what it sees during a failover: it sends a GET every
/// <see cref="HttpClientProbeOptions.Interval"/> (50 ms), whether or not the previous one has answered, each bounded by
/// <see cref="HttpClientProbeOptions.RequestTimeout"/>, and reports the failed requests and the longest time without an
/// answer. Start it once the service answers (<see cref="Report"/>'s <c>Succeeded</c> above 0), then cause the failure;
/// stop it once the service is back: <see cref="StopAsync"/> gives the report.
/// All timing goes through the given <see cref="TimeProvider"/>.
/// </summary>
public sealed class HttpClientProbe : IAsyncDisposable
{
    private readonly HttpClientProbeOptions _options;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _inFlight = [];
    private readonly List<ClientProbeFailure> _failures = [];
    private readonly object _sync = new();
    private readonly Task _loop;
    private int _requests;
    private int _succeeded;
    private int _failed;
    private TimeSpan? _lastAnswer;
    private TimeSpan _longestGap;
    private TimeSpan _longestGapStart;
    private bool _answering;
    private TimeSpan? _stoppedAt;

    private HttpClientProbe(HttpClientProbeOptions options, HttpClient? client, TimeProvider time)
    {
        _options = options;
        _time = time;
        _ownsClient = client is null;
        _client = client ?? new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.RequestTimeout, PooledConnectionLifetime = TimeSpan.FromSeconds(1) });
        _started = time.GetTimestamp();
        _loop = RunAsync();
    }

    /// <summary>Starts probing at once (the first request goes out now).</summary>
    /// <param name="options">The URL (or how to choose it), the interval and the timeout.</param>
    /// <param name="client">The client to send with; a new one (disposed with the probe) when <see langword="null"/>.</param>
    /// <param name="timeProvider">Time source; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The running probe.</returns>
    /// <exception cref="ArgumentException">No URL, or an interval or timeout that is not positive.</exception>
    public static HttpClientProbe Start(HttpClientProbeOptions options, HttpClient? client = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Url is null && options.ResolveUrl is null)
        {
            throw new ArgumentException("Set Url or ResolveUrl: where the probe's requests go.", nameof(options));
        }

        if (options.Interval <= TimeSpan.Zero || options.RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Interval ({options.Interval}) and RequestTimeout ({options.RequestTimeout}) must be positive."), nameof(options));
        }

        return new HttpClientProbe(options, client, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Starts probing <paramref name="url"/> every 50 ms with the system clock (the shortcut the demo uses).</summary>
    /// <param name="url">The service's URL.</param>
    /// <returns>The running probe.</returns>
    public static HttpClientProbe Start(Uri url) => Start(new HttpClientProbeOptions { Url = url });

    /// <summary>What the client has seen so far (the probe keeps running).</summary>
    /// <returns>The report.</returns>
    public ClientProbeReport Report()
    {
        lock (_sync)
        {
            var now = _stoppedAt ?? Now();
            var longest = _longestGap;
            var start = _longestGapStart;
            var last = _lastAnswer ?? TimeSpan.Zero;
            if (!_answering && now - last > longest)
            {
                // Not answering now: the time since the last answer (or since the start) counts too.
                (longest, start) = (now - last, last);
            }

            return new ClientProbeReport(now, _requests, _succeeded, _failed, longest, start, _answering, [.. _failures]);
        }
    }

    /// <summary>Stops sending, waits for the requests in flight (each bounded by its timeout), and reports.</summary>
    /// <returns>The final report.</returns>
    public async Task<ClientProbeReport> StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        Task[] inFlight;
        lock (_sync)
        {
            inFlight = [.. _inFlight];
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        lock (_sync)
        {
            _stoppedAt ??= Now();
        }

        return Report();
    }

    /// <summary>Stops the probe (and disposes the client it made).</summary>
    /// <returns>A task.</returns>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private TimeSpan Now() => _time.GetElapsedTime(_started);

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            do
            {
                var request = SendAsync(Now());
                lock (_sync)
                {
                    _inFlight.Add(request);
                }

                _ = request.ContinueWith(
                    t =>
                    {
                        lock (_sync)
                        {
                            _inFlight.Remove(t);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async Task SendAsync(TimeSpan sentAt)
    {
        Uri? url = _options.Url;
        string? error;
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        try
        {
            if (_options.ResolveUrl is { } resolve)
            {
                url = await resolve(timeout.Token).ConfigureAwait(false);
            }

            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var expected = _options.ExpectedStatus.Count == 0 ? status is >= 200 and < 300 : _options.ExpectedStatus.Contains(status);
            error = expected ? null : $"{status} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"timed out after {_options.RequestTimeout.TotalMilliseconds:0} ms");
        }
#pragma warning disable CA1031 // Whatever goes wrong with one request is a failed request, never a dead probe.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex.InnerException is { } inner ? $"{ex.Message} ({inner.Message})" : ex.Message;
        }

        Record(sentAt, url, error);
    }

    private void Record(TimeSpan sentAt, Uri? url, string? error)
    {
        lock (_sync)
        {
            var at = Now();
            _requests++;
            if (error is not null)
            {
                _failed++;
                _answering = false;
                if (_failures.Count < _options.MaxFailuresListed)
                {
                    _failures.Add(new ClientProbeFailure(sentAt, url, error));
                }

                return;
            }

            _succeeded++;
            _answering = true;
            var last = _lastAnswer ?? TimeSpan.Zero;
            if (at - last > _longestGap)
            {
                _longestGap = at - last;
                _longestGapStart = last;
            }

            if (_lastAnswer is null || at > _lastAnswer)
            {
                _lastAnswer = at;
            }
        }
    }
}
