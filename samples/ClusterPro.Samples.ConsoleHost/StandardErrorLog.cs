using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// A one-shot command's log: each entry one line on standard error as it happens (<c>12:00:00.000 warn:
/// ClusterPro.Aws.…[4004] message</c>, the console logger's single-line form), written at once. The console logger's
/// options, formatters and background queue are for a long-running node (<c>run</c>); a command that lives a second
/// does not load them before its first AWS call.
/// </summary>
internal sealed class StandardErrorLog(TextWriter error) : ILoggerProvider
{
    private readonly Lock _gate = new();

    /// <summary>Adds it to <paramref name="logging"/> with <paramref name="level"/> as the least level written.</summary>
    public static ILoggingBuilder Add(ILoggingBuilder logging, LogLevel level) =>
        logging.AddProvider(new StandardErrorLog(Console.Error)).SetMinimumLevel(level);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            error.WriteLine(line);
        }
    }

    private sealed class Logger(StandardErrorLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var level = logLevel switch
            {
                LogLevel.Trace => "trce",
                LogLevel.Debug => "dbug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "fail",
                _ => "crit",
            };
            var text = formatter(state, exception) + (exception is null ? string.Empty : $" {exception.GetType().Name}: {exception.Message}");
            log.Write($"{TimeProvider.System.GetLocalNow():HH:mm:ss.fff} {level}: {category}[{eventId.Id}] {text.ReplaceLineEndings(" ")}");
        }
    }
}
