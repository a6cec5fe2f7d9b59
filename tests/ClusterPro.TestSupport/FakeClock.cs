using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.TestSupport;

/// <summary>Drives a <see cref="FakeTimeProvider"/> while an operation waits on it.</summary>
public static class FakeClock
{
    /// <summary>
    /// Advances the clock in steps until the operation completes. Only for operations whose other awaits complete
    /// synchronously (mocked calls): then the operation only ever waits on the fake clock.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="time">The clock.</param>
    /// <param name="operation">The operation.</param>
    /// <param name="step">The step.</param>
    /// <param name="maxSteps">A bound, so a test that never completes fails instead of hanging.</param>
    /// <returns>The operation's result.</returns>
    public static async Task<T> RunAsync<T>(FakeTimeProvider time, Task<T> operation, TimeSpan step, int maxSteps = 1000)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(operation);
        for (var i = 0; i < maxSteps && !operation.IsCompleted; i++)
        {
            time.Advance(step);
            await Task.Yield();
        }

        return await operation;
    }
}
