// <my-service>
using ClusterPro.Monitoring;
using ClusterPro.Resources;

/// <summary>Your application: started on the active node, stopped on the others, checked while it runs.</summary>
internal static class MyService
{
    private static volatile bool s_running;

    public static Task<ResourceResult> StartAsync(string node, CancellationToken cancellationToken)
    {
        s_running = true;                                     // start your service here
        return Task.FromResult(ResourceResult.Success([$"my service started on {node}"]));
    }

    public static Task<ResourceResult> StopAsync(string node, CancellationToken cancellationToken)
    {
        s_running = false;                                    // stop it here
        return Task.FromResult(ResourceResult.Success([$"my service stopped on {node}"]));
    }

    public static Task<MonitorResult> CheckAsync(CancellationToken cancellationToken) =>
        Task.FromResult(s_running ? MonitorResult.Normal() : MonitorResult.Error(1, "My service does not answer."));
}
// </my-service>
