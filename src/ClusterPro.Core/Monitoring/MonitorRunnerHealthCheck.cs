using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClusterPro.Monitoring;

/// <summary>
/// Exposes a running monitor as an ASP.NET Core health check: Normal → Healthy, Warning and Unknown (no usable
/// answer) → Degraded, Error → Unhealthy. Register with <c>services.AddHealthChecks().AddCheck("awsvipw1", new MonitorRunnerHealthCheck(runner))</c>.
/// It reports the runner's current status; it does not run a check itself.
/// </summary>
public sealed class MonitorRunnerHealthCheck : IHealthCheck
{
    private readonly MonitorRunner _runner;

    /// <summary>Creates the bridge.</summary>
    /// <param name="runner">The runner whose status to report.</param>
    public MonitorRunnerHealthCheck(MonitorRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _runner = runner;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = _runner.Current;
        var data = new Dictionary<string, object> { ["code"] = current.Code, ["monitor"] = _runner.Name };
        var description = $"{current.Code} : {current.Message}";
        var result = current.Status switch
        {
            MonitorStatus.Normal => HealthCheckResult.Healthy(description, data),
            MonitorStatus.Warning or MonitorStatus.Unknown => HealthCheckResult.Degraded(description, null, data),
            _ => HealthCheckResult.Unhealthy(description, null, data),
        };
        return Task.FromResult(result);
    }
}
