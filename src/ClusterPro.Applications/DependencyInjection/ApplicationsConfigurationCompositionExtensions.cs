using ClusterPro.Applications.Custom;
using ClusterPro.Applications.Exec;
using ClusterPro.Applications.Http;
using ClusterPro.Applications.Systemd;
using ClusterPro.Applications.Tcp;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Applications.DependencyInjection;

/// <summary>Composes the application resources and monitors named in configuration.</summary>
public static class ApplicationsConfigurationCompositionExtensions
{
    /// <summary>The resource types this composer handles.</summary>
    private static readonly string[] ResourceTypes = ["exec", "systemd"];

    /// <summary>The monitor types this composer handles.</summary>
    private static readonly string[] MonitorTypes = ["process", "systemd", "custom", "tcp", "http"];

    /// <summary>
    /// Registers every resource in <c>ClusterPro:Groups:*:Resources</c> whose <c>Type</c> is <c>exec</c>
    /// (<see cref="ExecClusterProBuilderExtensions.AddExec"/>) or <c>systemd</c>
    /// (<see cref="SystemdClusterProBuilderExtensions.AddSystemd"/>), and every monitor in <c>ClusterPro:Monitors</c> whose
    /// <c>Type</c> is <c>process</c>, <c>systemd</c>, <c>custom</c>, <c>tcp</c> or <c>http</c>; each entry's settings bind
    /// onto its options (<c>Start</c>, <c>Stop</c>, <c>Mode</c>, <c>Timeout</c> …; <c>Unit</c>; <c>Resource</c>,
    /// <c>Command</c>, <c>Address</c>, <c>Url</c> …). Other types are left to other composers (ClusterPro.Aws'
    /// <c>AddAwsFromConfiguration</c>); a type that no composer handles, and every bad setting, is reported at start-up,
    /// one line per problem naming the setting and the fix.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The configuration root.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddApplicationsFromConfiguration(this IClusterProBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        var root = configuration.GetSection(ClusterProOptions.SectionName);
        var problems = new List<string>();
        foreach (var group in root.GetSection("Groups").GetChildren())
        {
            foreach (var resource in group.GetSection("Resources").GetChildren())
            {
                var name = resource["Name"];
                if (string.IsNullOrWhiteSpace(name))
                {
                    continue;
                }

                switch (resource["Type"]?.Trim().ToUpperInvariant())
                {
                    case "EXEC":
                        if (resource["Mode"] is { } mode && !Enum.TryParse<ExecMode>(mode, ignoreCase: true, out _))
                        {
                            problems.Add($"{resource.Path}:Mode is '{mode}'; use oneshot (the start command starts the application and exits) or service (the start command is the service).");
                        }

                        var count = problems.Count;
                        builder.AddExec(group.Key, name, Binder<ExecResourceOptions>(resource, problems));
                        if (problems.Count > count || (resource["Mode"] is { } m && !Enum.TryParse<ExecMode>(m, ignoreCase: true, out _)))
                        {
                            ApplicationResourceKinds.For(builder.Services).MarkUnreadable(name);
                        }
                        break;
                    case "SYSTEMD":
                        builder.AddSystemd(group.Key, name, Binder<SystemdResourceOptions>(resource, problems));
                        break;
                }
            }
        }

        foreach (var monitor in root.GetSection("Monitors").GetChildren())
        {
            switch (monitor["Type"]?.Trim().ToUpperInvariant())
            {
                case "PROCESS":
                    builder.AddProcessMonitor(monitor.Key, Binder<ProcessMonitorOptions>(monitor, problems));
                    break;
                case "SYSTEMD":
                    builder.AddSystemdMonitor(monitor.Key, Binder<SystemdMonitorOptions>(monitor, problems));
                    break;
                case "CUSTOM":
                    builder.AddCustomMonitor(monitor.Key, Binder<CustomMonitorOptions>(monitor, problems));
                    break;
                case "TCP":
                    builder.AddTcpMonitor(monitor.Key, Binder<TcpMonitorOptions>(monitor, problems));
                    break;
                case "HTTP":
                    builder.AddHttpMonitor(monitor.Key, Binder<HttpMonitorOptions>(monitor, problems));
                    break;
            }
        }

        builder.AddConfiguredTypes(configuration, ConfiguredTypeSection.Resources, ResourceTypes);
        builder.AddConfiguredTypes(configuration, ConfiguredTypeSection.Monitors, MonitorTypes);
        if (problems.Count > 0)
        {
            builder.Services.AddSingleton<IValidateOptions<ClusterProOptions>>(new CompositionProblems(problems));
        }

        return builder;
    }

    /// <summary>
    /// Binds <paramref name="section"/> onto the options. A value that cannot be read as its setting's type (a time span
    /// that is not one, a mode that does not exist) is found now and reported at start-up as a problem, not thrown then.
    /// </summary>
    private static Action<TOptions> Binder<TOptions>(IConfigurationSection section, List<string> problems)
        where TOptions : new()
    {
        try
        {
            section.Bind(new TOptions());
            return o => section.Bind(o);
        }
        catch (InvalidOperationException ex)
        {
            if (!problems.Any(p => p.StartsWith($"{section.Path}:Mode ", StringComparison.Ordinal)))
            {
                problems.Add($"{ex.Message.TrimEnd('.')}; fix the value (a time span is written \"00:00:30\", a list [\"a\", \"b\"]).");
            }

            return o =>
            {
                try
                {
                    section.Bind(o);
                }
                catch (InvalidOperationException)
                {
                    // Reported at start-up with every other problem.
                }
            };
        }
    }
}
