using ClusterPro.Monitoring;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ClusterPro.Core.Tests.Monitoring;

public class MonitorRunnerHealthCheckTests
{
    [Theory]
    [InlineData(MonitorStatus.Normal, HealthStatus.Healthy)]
    [InlineData(MonitorStatus.Warning, HealthStatus.Degraded)]
    [InlineData(MonitorStatus.Error, HealthStatus.Unhealthy)]
    public async Task CheckHealthAsync_MapsTheRunnersCurrentStatus(MonitorStatus status, HealthStatus expected)
    {
        var monitor = new ScriptedMonitor("awseipw1").Then(new MonitorResult(status, status == MonitorStatus.Normal ? 0 : 52, "The EIP address does not exist. (EIP ALLOCATION ID=eipalloc-1)"));
        var runner = new MonitorRunner(monitor, new MonitorOptions { RetryCount = 0, Recovery = { Target = "awseip1" } }, "node1", new RecordingRecoveryActions());
        await runner.RunCycleAsync();

        var health = await new MonitorRunnerHealthCheck(runner).CheckHealthAsync(new HealthCheckContext());

        health.Status.Should().Be(expected);
        health.Data["monitor"].Should().Be("awseipw1");
    }
}
