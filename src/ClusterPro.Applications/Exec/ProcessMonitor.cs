using ClusterPro.Monitoring;

namespace ClusterPro.Applications.Exec;

/// <summary>Normal while the exec resource's service process runs on the node; error 4 once it has exited (with its exit code).</summary>
internal sealed class ProcessMonitor(string name, string resourceName, ExecResource resource) : IMonitorResource
{
    public string Name { get; } = name;

    public Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var status = resource.ServiceStatus(context.NodeName);
        return Task.FromResult(status switch
        {
            { Running: true } => MonitorResult.Normal($"The service of {resourceName} runs as pid {status.Pid}."),
            { Pid: { } pid, ExitCode: { } code } => MonitorResult.Error(ApplicationResultCodes.ServiceNotRunning, $"The service of {resourceName} (pid {pid}) exited with code {code}."),
            _ => MonitorResult.Error(ApplicationResultCodes.ServiceNotRunning, $"The service of {resourceName} is not running on {context.NodeName}."),
        });
    }
}
