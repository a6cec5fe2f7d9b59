using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>--timeout SECONDS</c> (default 30): the whole command's time budget. The command's AWS clients wait at most that
/// long for each attempt's answer (<c>ClusterProAwsOptions.Timeout</c>), its calls are cancelled when the budget is spent
/// (which also ends the SDK's retries), and the command ends then with one line naming the endpoint that did not answer
/// and exit 2, whatever it was waiting for.
/// </summary>
internal static class CommandTimeout
{
    public const string Name = "--timeout";

    /// <summary>The exit code of a command whose budget ran out.</summary>
    public const int ExitCode = 2;

    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    private static readonly AsyncLocal<TimeSpan?> s_current = new();

    /// <summary>The running command's budget, for the services it composes; null outside a bounded command.</summary>
    public static TimeSpan? Current => s_current.Value;

    public static Option<double> Option()
    {
        var option = new Option<double>(Name)
        {
            Description = $"The command's time budget in seconds: each AWS call waits at most that long for an answer, and the command ends then, naming the endpoint that did not answer (exit {ExitCode}).",
            HelpName = "SECONDS",
            DefaultValueFactory = _ => Default.TotalSeconds,
        };
        option.Validators.Add(r =>
        {
            var seconds = r.GetValueOrDefault<double>();
            if (!(seconds is > 0 and <= 86_400))
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"--timeout {seconds} is not a time budget; give a number of seconds above 0 and at most 86400 (e.g. --timeout 30)."));
            }
        });
        return option;
    }

    /// <summary>
    /// The budget the parsed command asked for, or null when the command has no <c>--timeout</c>, or watches
    /// (<c>status --watch</c> runs until Ctrl+C and bounds each refresh itself).
    /// </summary>
    public static TimeSpan? Of(ParseResult parsed) =>
        parsed.CommandResult.Command.Options.Any(o => o.Name == Name) && !Watches(parsed) ? TimeSpan.FromSeconds(parsed.GetValue<double>(Name)) : null;

    private static bool Watches(ParseResult parsed) =>
        parsed.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--watch") is { } watch && parsed.GetValue(watch);

    /// <summary>Runs <paramref name="invoke"/> within <paramref name="budget"/>; when it is spent, writes the one line and returns <see cref="ExitCode"/>.</summary>
    public static async Task<int> RunAsync(string command, TimeSpan budget, Func<CancellationToken, Task<int>> invoke, TextWriter error)
    {
        using var requests = new RequestsInFlight();
        using var deadline = new CancellationTokenSource(budget, TimeProvider.System);
        s_current.Value = budget;
        Task<int> work;
        try
        {
            work = invoke(deadline.Token);
        }
        finally
        {
            s_current.Value = null;
        }

        var expiry = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = deadline.Token.Register(() => expiry.TrySetResult());
        var first = await Task.WhenAny(work, expiry.Task);
        if (first == work && !deadline.IsCancellationRequested)
        {
            return await work;
        }

        // The budget is spent: what the command would still print (a cancelled call's failure) is not the answer.
        _ = work.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var seconds = budget.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        const string Fix = "Fix: check that this machine reaches that endpoint (AWS_ENDPOINT_URL…, proxy, NAT, VPC endpoint), or raise --timeout.";
        await error.WriteLineAsync(requests.Oldest() is { } waiting
            ? $"{command}: no answer within {seconds} s (--timeout): {waiting.Endpoint} has not answered a {waiting.Method} for {Seconds(waiting.Waited)} s. {Fix}"
            : requests.LastUnanswered is { } last
                ? $"{command}: no answer within {seconds} s (--timeout): {last.Endpoint} did not answer a {last.Method} within {Seconds(last.Waited)} s. {Fix}"
                : $"{command}: did not finish within {seconds} s (--timeout), with no AWS request waiting for an answer. Fix: raise --timeout.");
        return ExitCode;
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>The HTTP requests of this process that have not been answered yet (HttpClient's activities), oldest first.</summary>
    private sealed class RequestsInFlight : IDisposable
    {
        private readonly ConcurrentDictionary<Activity, long> _open = new();
        private readonly ActivityListener _listener;

        public RequestsInFlight()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "System.Net.Http",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                ActivityStarted = a => _open[a] = TimeProvider.System.GetTimestamp(),
                ActivityStopped = a =>
                {
                    if (_open.TryRemove(a, out var started) && a.GetTagItem("http.response.status_code") is null)
                    {
                        // Ended without a response (timed out, cancelled, refused): the endpoint to name if the budget
                        // runs out between attempts.
                        LastUnanswered = Describe(a, started);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>The last request that ended without an answer.</summary>
        public (string Endpoint, string Method, TimeSpan Waited)? LastUnanswered { get; private set; }

        public (string Endpoint, string Method, TimeSpan Waited)? Oldest()
        {
            var oldest = _open.OrderBy(p => p.Value).FirstOrDefault();
            return oldest.Key is { } activity ? Describe(activity, oldest.Value) : null;
        }

        public void Dispose() => _listener.Dispose();

        private static (string Endpoint, string Method, TimeSpan Waited) Describe(Activity activity, long started)
        {
            var url = activity.GetTagItem("url.full") as string;
            var endpoint = Uri.TryCreate(url, UriKind.Absolute, out var uri)
                ? uri.GetLeftPart(UriPartial.Authority)
                : activity.GetTagItem("server.address") is { } host ? $"{host}:{activity.GetTagItem("server.port")}" : activity.DisplayName;
            var method = activity.GetTagItem("http.request.method") as string ?? "request";
            return (endpoint, method, TimeProvider.System.GetElapsedTime(started));
        }
    }
}
