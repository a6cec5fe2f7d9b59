using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ClusterPro.Aws.Internal;

/// <summary>
/// "Read until a state or a bound": one Polly pipeline (a retry on the result with exponential backoff inside a
/// timeout), used by every wait of the library (Route 53 INSYNC, fencing's stopped state). The first read runs at
/// once; later reads wait <c>first</c>, then twice as long each time up to <c>max</c>, so polling does not trip API
/// throttling.
/// </summary>
internal static class Poll
{
    /// <summary>Reads until <paramref name="done"/> holds or <paramref name="bound"/> elapses.</summary>
    /// <typeparam name="T">What is read.</typeparam>
    /// <param name="read">Reads once, given the attempt number (0 for the first read) and a token.</param>
    /// <param name="done">True for the awaited state.</param>
    /// <param name="first">The first interval.</param>
    /// <param name="max">The longest interval.</param>
    /// <param name="bound">The longest wait.</param>
    /// <param name="time">The clock.</param>
    /// <param name="cancellationToken">The caller's cancellation (throws).</param>
    /// <returns>The last value and whether the state was reached.</returns>
    public static async Task<PollOutcome<T>> UntilAsync<T>(
        Func<int, CancellationToken, Task<T>> read,
        Func<T, bool> done,
        TimeSpan first,
        TimeSpan max,
        TimeSpan bound,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var attempt = 0;
        var last = default(T)!;
        if (bound <= TimeSpan.Zero)
        {
            last = await read(attempt, cancellationToken).ConfigureAwait(false);
            return new PollOutcome<T>(last, done(last), time.GetElapsedTime(started));
        }

        // The pipeline's result is whether the state was reached (a bool: Polly keeps every member of its result type when
        // trimmed, which for an AWS response would pull in the SDK's reflection); the value read is kept in 'last'.
        var pipeline = new ResiliencePipelineBuilder<bool> { TimeProvider = time }
            .AddTimeout(bound)
            .AddRetry(new RetryStrategyOptions<bool>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && !args.Outcome.Result),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                Delay = first,
                MaxDelay = max,
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
        try
        {
            await pipeline.ExecuteAsync(
                async ct =>
                {
                    last = await read(attempt++, ct).ConfigureAwait(false);
                    return done(last);
                },
                cancellationToken).ConfigureAwait(false);
            return new PollOutcome<T>(last, true, time.GetElapsedTime(started));
        }
        catch (TimeoutRejectedException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PollOutcome<T>(last, false, time.GetElapsedTime(started));
        }
    }
}
