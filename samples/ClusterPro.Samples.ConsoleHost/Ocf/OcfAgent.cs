using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.Hosting;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// One action of an OCF agent (<c>clusterpro ocf awsvip start</c>): its parameters from the environment, the resource
/// and monitor composed by the tool's own composition (<see cref="NodeServices.AddCluster"/>), the answer as an OCF exit
/// code. Only meta-data (and usage) write to standard output; everything else — the exit reason, changes, ClusterPro's
/// log — goes to standard error. The agent acts at once: Pacemaker is the cluster manager here, so there is no running
/// ClusterPro node to ask first (unlike <c>clusterpro activate</c>), and a failed stop is Pacemaker's to handle (no
/// final action of ClusterPro's own).
/// </summary>
internal static class OcfAgent
{
    /// <summary>The actions the agents implement.</summary>
    public const string Actions = "start, stop, monitor, meta-data, validate-all";

    /// <summary>Runs <paramref name="action"/>; never throws, returns the OCF exit code.</summary>
    /// <param name="agent">The agent.</param>
    /// <param name="action">The action, as the resource manager gave it.</param>
    /// <param name="environment">The resource manager's environment.</param>
    /// <param name="output">Standard output: meta-data only.</param>
    /// <param name="error">Standard error: reasons, changes, log lines.</param>
    /// <param name="services">Registrations that go first (a test's AWS clients and host address manager).</param>
    public static async Task<int> RunAsync(OcfAgentKind agent, string? action, OcfEnvironment environment, TextWriter output, TextWriter error, Action<IServiceCollection>? services = null)
    {
        var say = new OcfReporter(agent, action, environment, error);
        switch (action)
        {
            case "meta-data":
                await output.WriteAsync(OcfMetadata.Xml(agent));
                return OcfExitCode.Success;
            case "usage" or "help":
                await output.WriteLineAsync(Usage(agent));
                return OcfExitCode.Success;
            case "start" or "stop" or "monitor" or "validate-all":
                break;
            case null or "":
                say.Line(Usage(agent));
                return OcfExitCode.Args;
            default:
                say.Reason($"the action '{action}' is not implemented; the actions are {Actions}.");
                return OcfExitCode.Unimplemented;
        }

        var state = new OcfStateFile(agent, environment);
        if (action == "monitor" && !state.Exists)
        {
            // Not started here (or stopped since): cleanly stopped, whatever the parameters, without asking AWS.
            return OcfExitCode.NotRunning;
        }

        try
        {
            return await RunAsync(agent, action, environment, state, say, services);
        }
        catch (Exception ex) when (ConfigurationProblems.Read(ex) is { } problems)
        {
            return say.Problems(problems, OcfExitCode.Configured);
        }
#pragma warning disable CA1031 // An agent answers with an exit code whatever happens: one line naming the failure.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            say.Reason($"{ex.GetType().Name}: {string.Join(' ', ex.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))}");
            return OcfExitCode.Generic;
        }
    }

    private static async Task<int> RunAsync(OcfAgentKind agent, string action, OcfEnvironment environment, OcfStateFile state, OcfReporter say, Action<IServiceCollection>? extra)
    {
        var problems = new List<string>();
        var settings = OcfSettings.Read(agent, environment, problems);
        var budget = Budget(environment, problems);
        if (problems.Count > 0)
        {
            // Nothing with these parameters can have been started here: stopping it is done.
            return action == "stop" && !state.Exists ? OcfExitCode.Success : say.Problems(problems, OcfExitCode.Configured);
        }

        var thorough = action != "validate-all" || environment.CheckLevel >= 10;
        if (!thorough)
        {
            settings.FillPlaceholders();
        }
        else if (settings.NeedsInstance && await settings.FillFromInstanceAsync(environment.MetadataEndpoint, CancellationToken.None) is { } unknown)
        {
            say.Reason(unknown);
            return OcfExitCode.Generic;
        }

        var node = environment.NodeName;
        var (composed, invalid) = Compose(settings, settings.ToConfiguration(node, budget), OcfSettings.CallTimeout(budget), say, environment.Debug, extra);
        if (composed is null)
        {
            return action == "stop" && !state.Exists ? OcfExitCode.Success : say.Problems(invalid!, OcfExitCode.Configured);
        }

        await using var services = composed;
        if (thorough && action is "start" or "validate-all" && HostProblem(agent, settings, services, node) is { } host)
        {
            say.Reason(host.Message);
            return host.Code;
        }

        switch (action)
        {
            case "validate-all":
                return OcfExitCode.Success;
            case "monitor":
                var check = await CheckAsync(services.GetRequiredKeyedService<IMonitorResource>(agent.MonitorName), new MonitorContext(node, agent.MonitorName), budget);
                var code = OcfResults.Of(agent, check);
                if (code != OcfExitCode.Success)
                {
                    say.Reason($"{check.Code}: {check.Message}");
                }
                else if (check.Status != MonitorStatus.Normal)
                {
                    // AWS gave no answer and api_failure is silent or warn: running as far as anyone knows.
                    say.Line($"{check.Status} {check.Code} {check.Message}");
                }

                return code;
            default:
                var start = action == "start";
                var resource = services.GetRequiredKeyedService<IGroupResource>(agent.Name);
                var result = await ApplyAsync(resource, start, new ResourceContext(node, OcfSettings.Group), budget);
                foreach (var change in result.Changes)
                {
                    say.Line(change);
                }

                var outcome = OcfResults.Of(agent, result);
                if (outcome != OcfExitCode.Success)
                {
                    say.Reason($"{result.Code}: {result.Message}");
                }
                else if (start)
                {
                    state.Write($"{agent.Name} started on {node}");
                }
                else
                {
                    state.Delete();
                }

                return outcome;
        }
    }

    /// <summary>The operation's timeout less a margin for the process itself (a tenth, at most 2 s).</summary>
    private static TimeSpan Budget(OcfEnvironment environment, List<string> problems)
    {
        if (environment.OperationTimeout is not { } timeout)
        {
            problems.Add($"OCF_RESKEY_CRM_meta_timeout is '{environment.OperationTimeoutText}', which is not a number of milliseconds; give the operation a timeout such as 20s.");
            return OcfEnvironment.DefaultOperationTimeout;
        }

        var budget = timeout - TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, timeout.Ticks / 10));
        if (OcfSettings.CallTimeout(budget) < TimeSpan.FromSeconds(1))
        {
            problems.Add($"The operation's timeout ({timeout.TotalSeconds:0.###} s) leaves less than a second for an AWS call; give the operation at least 5 s (op start timeout=20s).");
        }

        return budget;
    }

    /// <summary>The tool's composition of the one-resource cluster with every setting checked, or the problems, each naming its OCF parameter.</summary>
    private static (ServiceProvider? Services, IReadOnlyList<string>? Problems) Compose(OcfSettings settings, IConfiguration configuration, TimeSpan callTimeout, OcfReporter say, bool debug, Action<IServiceCollection>? extra)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(new OcfLoggerProvider(say)).SetMinimumLevel(debug ? LogLevel.Debug : LogLevel.Warning));
        extra?.Invoke(services);

        // The OS address is touched only when interface is set (with iproute2, unless a test brought its own manager).
        if (settings.Interface is null)
        {
            services.RemoveAll<IHostAddressManagerProvider>();
            services.AddSingleton<IHostAddressManagerProvider>(new SingleHostAddressManagerProvider(new NoOpHostAddressManager()));
        }
        else
        {
            services.TryAddSingleton<IHostAddressManagerProvider>(new SingleHostAddressManagerProvider(new LinuxHostAddressManager()));
        }
        services.Configure<ClusterProAwsOptions>(o =>
        {
            // No attempt of an AWS call waits longer than one call may take.
            o.Timeout = callTimeout;
            if (settings.Endpoint is { } endpoint)
            {
                o.Route53Endpoint = endpoint;
            }
        });

        NodeServices.AddCluster(services, configuration);
        var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (Exception ex) when (ConfigurationProblems.Read(ex) is { } problems)
        {
            provider.Dispose();
            return (null, problems.Select(settings.Translate).ToList());
        }
        catch
        {
            provider.Dispose();
            throw;
        }

        return (provider, null);
    }

    /// <summary>With interface set, this host must have iproute2's ip (else OCF_ERR_INSTALLED) and the interface (else OCF_ERR_ARGS).</summary>
    private static (int Code, string Message)? HostProblem(OcfAgentKind agent, OcfSettings settings, IServiceProvider services, string node)
    {
        if (agent != OcfAgentKind.Vip || settings.Interface is not { } iface || services.GetRequiredService<IHostAddressManagerProvider>().ForNode(node) is not LinuxHostAddressManager linux)
        {
            return null;
        }

        if (!File.Exists(linux.IpCommand))
        {
            return (OcfExitCode.Installed, $"OCF parameter 'interface' is set, but iproute2's ip is not installed ({string.Join(", ", LinuxHostAddressManager.SystemIpPaths)}); install iproute2, or leave interface empty.");
        }

        return Directory.Exists(Path.Combine("/sys/class/net", iface))
            ? null
            : (OcfExitCode.Args, $"OCF parameter 'interface' is '{iface}', which this host does not have; give one that ip link shows here, or leave it empty to leave the OS alone.");
    }

    private static async Task<MonitorResult> CheckAsync(IMonitorResource monitor, MonitorContext context, TimeSpan budget)
    {
        using var cts = new CancellationTokenSource(budget, TimeProvider.System);
        try
        {
            return await monitor.CheckAsync(context, cts.Token).WaitAsync(budget, TimeProvider.System);
        }
        catch (Exception ex) when (ex is TimeoutException || ex is OperationCanceledException && cts.IsCancellationRequested)
        {
            return monitor.CreateTimeoutResult(budget);
        }
    }

    private static async Task<ResourceResult> ApplyAsync(IGroupResource resource, bool activate, ResourceContext context, TimeSpan budget)
    {
        using var cts = new CancellationTokenSource(budget, TimeProvider.System);
        try
        {
            var operation = activate ? resource.ActivateAsync(context, cts.Token) : resource.DeactivateAsync(context, cts.Token);
            return await operation.WaitAsync(budget, TimeProvider.System);
        }
        catch (Exception ex) when (ex is TimeoutException || ex is OperationCanceledException && cts.IsCancellationRequested)
        {
            return resource.CreateTimeoutResult(budget);
        }
    }

    private static string Usage(OcfAgentKind agent) =>
        $"usage: {agent.Name} {{{Actions.Replace(", ", "|", StringComparison.Ordinal)}}} (OCF resource agent ocf:clusterpro:{agent.Name}; parameters from OCF_RESKEY_*, see meta-data)";
}
