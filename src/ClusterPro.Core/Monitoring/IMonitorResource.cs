using ClusterPro.Resources;

namespace ClusterPro.Monitoring;

/// <summary>Where a monitor check runs.</summary>
/// <param name="NodeName">The node the check runs on (so per-node settings resolve there).</param>
/// <param name="MonitorName">The monitor's name.</param>
public sealed record MonitorContext(string NodeName, string MonitorName);

/// <summary>
/// A monitor resource: one health check. The <see cref="MonitorRunner"/> owns interval, timeout,
/// retries, start wait and the recovery ladder; the monitor only answers "how is it now?".
/// </summary>
public interface IMonitorResource
{
    /// <summary>The monitor name, unique in the cluster (e.g. <c>awsvipw1</c>).</summary>
    string Name { get; }

    /// <summary>Runs one check.</summary>
    /// <param name="context">Where it runs.</param>
    /// <param name="cancellationToken">Cancelled on the runner's timeout or the caller's cancellation.</param>
    /// <returns>The result.</returns>
    Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// The error reported when a check does not finish within the monitor timeout. Override to use the
    /// monitor's own code (the AZ monitor uses 6 "Timeout occurred.", the DNS monitor 51).
    /// </summary>
    /// <param name="timeout">The timeout that elapsed.</param>
    /// <returns>An error result; the runner turns it into its warning twin when recovery on timeout is off.</returns>
    MonitorResult CreateTimeoutResult(TimeSpan timeout) =>
        MonitorResult.Error(ResultCodes.Timeout, $"Monitor did not complete within {timeout.TotalSeconds:0} seconds.");
}

/// <summary>A monitor built from a delegate.</summary>
public sealed class DelegateMonitorResource : IMonitorResource
{
    private readonly Func<MonitorContext, CancellationToken, Task<MonitorResult>> _check;

    /// <summary>Creates the monitor.</summary>
    /// <param name="name">The monitor name.</param>
    /// <param name="check">The check.</param>
    public DelegateMonitorResource(string name, Func<MonitorContext, CancellationToken, Task<MonitorResult>> check)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(check);
        Name = name;
        _check = check;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default) =>
        _check(context, cancellationToken);
}
