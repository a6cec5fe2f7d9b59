using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>ClusterPro's log, as lines of the agent's standard error (synchronous: an agent's process is short).</summary>
internal sealed class OcfLoggerProvider(OcfReporter say) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(say, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(OcfReporter say, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                say.Log(logLevel, category, formatter(state, exception) + (exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})"));
            }
        }
    }
}
