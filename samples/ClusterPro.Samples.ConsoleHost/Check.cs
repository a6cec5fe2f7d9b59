using System.Text.Json;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>check</c>: every monitor once, as this node sees it. Text: one line per monitor (<c>name status code message</c>);
/// JSON: <c>{ "node", "status", "exitCode", "monitors": [ { "name", "status", "code", "message" } ] }</c>. The exit code
/// is Nagios-style either way: 0 all Normal, 1 any Warning, 2 any Error. A monitor that throws is that monitor's Error
/// (code 99, naming the exception), as the runner reports it, so the exit stays 0 / 1 / 2.
/// </summary>
internal static class Check
{
    public static async Task<int> RunAsync(string config, string node, bool json, TextWriter output)
    {
        var (services, factory) = ConsoleApp.Compose(config, node, LogLevel.Warning);
        await using var _ = services;
        var worst = MonitorStatus.Normal;
        var results = new List<(string Name, MonitorResult Result)>();
        foreach (var name in factory.Options.Monitors.Keys)
        {
            var monitor = services.GetRequiredKeyedService<IMonitorResource>(name);
            MonitorResult result;
            try
            {
                result = await monitor.CheckAsync(new MonitorContext(node, name)).WaitAsync(factory.Options.Monitors[name].Timeout);
            }
            catch (TimeoutException)
            {
                result = monitor.CreateTimeoutResult(factory.Options.Monitors[name].Timeout);
            }
#pragma warning disable CA1031 // A monitor that throws is that monitor's Error, as the runner maps it: the exit stays 0 / 1 / 2.
            catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
            {
                result = MonitorResult.Error(ResultCodes.UnexpectedException, $"The monitor failed: {ex.GetType().Name}: {ex.Message}");
            }

            results.Add((name, result));
            worst = (MonitorStatus)Math.Max((int)worst, (int)result.Status);
            if (!json)
            {
                output.WriteLine($"{name} {result.Status} {result.Code} {result.Message}");
            }
        }

        var exit = worst switch { MonitorStatus.Normal => 0, MonitorStatus.Warning => 1, _ => 2 };
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(
                new
                {
                    node,
                    status = worst.ToString(),
                    exitCode = exit,
                    monitors = results.Select(r => new { name = r.Name, status = r.Result.Status.ToString(), code = r.Result.Code, message = r.Result.Message }),
                },
                Json.Options));
        }

        return exit;
    }
}
