using ClusterPro.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClusterPro.Failover;

/// <summary>
/// The default <see cref="IFinalActionHandler"/>: logs the request at Critical level and does nothing else,
/// because a library must never shut a machine down on its own. Hosts replace it.
/// </summary>
public sealed class LoggingFinalActionHandler : IFinalActionHandler
{
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="logger">Logger; <see langword="null"/> for none.</param>
    public LoggingFinalActionHandler(ILogger<LoggingFinalActionHandler>? logger = null) =>
        _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <inheritdoc />
    public Task ExecuteAsync(FinalActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Log.FinalActionNotHandled(_logger, request.Action, request.Source, request.NodeName, request.Reason);
        return Task.CompletedTask;
    }
}
