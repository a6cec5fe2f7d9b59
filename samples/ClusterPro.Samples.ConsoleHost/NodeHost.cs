using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Hosting;
using ClusterPro.Samples.ConsoleHost.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>
/// <c>run</c>: one node as a long-running service on the .NET Generic Host. Under systemd it reports readiness and logs in
/// journald's format (<c>AddSystemd</c>); SIGTERM (<c>systemctl stop</c>, <c>docker stop</c>, Kubernetes), SIGINT and
/// Ctrl+C all stop the node in order — its groups move to the next node at once — and the process exits 0 when they did.
/// </summary>
internal static class NodeHost
{
    /// <summary>Room for the last heartbeats and the loops to end, on top of the planned stop's own bound.</summary>
    private static readonly TimeSpan ShutdownMargin = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The exit code when the node left the cluster on its own (a network-partition action, or a final action that stops
    /// the cluster service): the unit file does not restart it, as stopping the cluster service means.
    /// </summary>
    public const int LeftOnItsOwnExitCode = 3;

    /// <summary>The service name the metrics carry (OpenTelemetry's <c>service.name</c>).</summary>
    public const string ServiceName = "clusterpro";

    /// <summary>The meter every ClusterPro instrument is on.</summary>
    private const string MetricsMeter = "ClusterPro";

    /// <summary>Runs the node until the host stops.</summary>
    /// <param name="configFile">The configuration file.</param>
    /// <param name="node">The node's name, or null to take it from the configuration or the instance's identity.</param>
    /// <param name="metricsPort">
    /// A TCP port to serve the <c>ClusterPro</c> meter on in Prometheus text format (<c>GET /metrics</c>, every
    /// interface), or null for none.
    /// </param>
    /// <param name="webPort">A TCP port to serve the cluster's web view on (<see cref="WebServer"/>), or null for none.</param>
    /// <param name="webAddress">The web view's address: localhost (the default), an IP address of this machine, or <c>*</c>.</param>
    /// <returns>0 when the node stopped in order, 3 when it left the cluster on its own, 1 otherwise.</returns>
    public static async Task<int> RunAsync(string configFile, string? node, int? metricsPort = null, int? webPort = null, string? webAddress = null)
    {
        using var host = Build(configFile, node, metricsPort, webPort: webPort, webAddress: webAddress);
        await host.StartAsync();
        await host.WaitForShutdownAsync();
        return host.Services.GetRequiredService<ClusterProNode>().StopOutcome switch
        {
            NodeStopOutcome.Planned => 0,
            NodeStopOutcome.LeftOnItsOwn => LeftOnItsOwnExitCode,
            _ => 1,
        };
    }

    /// <summary>The node's host, not started: the configuration, logging, metrics, the node and its final actions.</summary>
    /// <param name="configFile">The configuration file.</param>
    /// <param name="node">The node's name, or null.</param>
    /// <param name="metricsPort">The metrics port, or null.</param>
    /// <param name="power">How the final actions power the OS off or reboot it; null for systemd-logind.</param>
    /// <param name="webPort">The web view's port, or null for none.</param>
    /// <param name="webAddress">The web view's address, or null for localhost.</param>
    /// <returns>The host.</returns>
    internal static IHost Build(string configFile, string? node, int? metricsPort = null, IOsPower? power = null, int? webPort = null, string? webAddress = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });

        // The file, then the environment (ClusterPro__Heartbeat__Key, ClusterPro__Node …), then --node.
        builder.Configuration.AddJsonFile(NodeServices.FindFile(configFile), optional: false);
        builder.Configuration.AddEnvironmentVariables();
        if (node is not null)
        {
            builder.Configuration["ClusterPro:Node"] = node;
        }

        // The operator's settings (standby, maintenance) outlive a restart in systemd's StateDirectory= unless the file says where.
        if (string.IsNullOrWhiteSpace(builder.Configuration["ClusterPro:Failover:StateDirectory"]) && Environment.GetEnvironmentVariable("STATE_DIRECTORY") is { Length: > 0 } state)
        {
            builder.Configuration["ClusterPro:Failover:StateDirectory"] = state.Split(':')[0];
        }

        NodeServices.AddConsoleLog(builder.Logging, LogLevel.Information);

        // A start-up failure is the one line `run` prints (every configuration problem once, or the failure's message):
        // the Host's own "Hosting failed to start" entry would repeat it with its stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.AddSystemd();

        if (metricsPort is { } port)
        {
            // OpenTelemetry's own HTTP listener: no web server in the node. Prometheus scrapes http://HOST:PORT/metrics.
            // Registered before the node, so the host starts the listener first: a port that cannot be bound ends the
            // process before the node joins the cluster (a node that joined and then died would be fenced by its peer).
            // The service is "clusterpro" (OpenTelemetry's service.name resource attribute: service_name in Prometheus).
            builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService(ServiceName)).WithMetrics(metrics => metrics
                .AddMeter(MetricsMeter)
                .AddPrometheusHttpListener(o =>
                {
                    o.Port = port;

                    // Every interface, so that a Prometheus server elsewhere can scrape it.
                    o.ConfigureHttpListener = (_, listener) =>
                    {
                        listener.Prefixes.Clear();
                        listener.Prefixes.Add($"http://*:{port}/");
                    };
                }));
        }

        if (webPort is { } web)
        {
            // The page, its script and its event stream on HttpListener; registered before the node for the same reason.
            builder.Services.AddSingleton(WebOptions.From(web, webAddress, builder.Configuration));
            builder.Services.AddSingleton<ClusterWatch>();
            builder.Services.AddSingleton<WebOperations>();
            builder.Services.AddHostedService<WebServer>();
        }

        // Each failover event is one log line (event ids 3100 + kind); nothing else prints them.
        // Final actions that act: ShutdownOs and RebootOs power the machine off or reboot it through systemd-logind.
        builder.Services.AddSingleton(power ?? new LogindPower());
        NodeServices.AddCluster(builder.Services, builder.Configuration).UseFinalActionHandler<SystemdFinalActionHandler>().AddFailoverManager();

        // The host waits for the planned stop: its shutdown timeout covers ClusterPro:Failover:StopTimeout with room to
        // spare (the unit file's TimeoutStopSec covers this in turn).
        var stopTimeout = StopTimeout(builder.Configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromTicks(Math.Max(o.ShutdownTimeout.Ticks, (stopTimeout + ShutdownMargin).Ticks)));

        return builder.Build();
    }

    private static TimeSpan StopTimeout(IConfiguration configuration)
    {
        var options = new FailoverManagerOptions();
        try
        {
            configuration.GetSection("ClusterPro:Failover").Bind(options);
        }
        catch (InvalidOperationException)
        {
            // A value that does not bind is reported by the start-up checks, with every other problem.
        }

        return options.StopTimeout > TimeSpan.Zero ? options.StopTimeout : new FailoverManagerOptions().StopTimeout;
    }
}
