using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Applications.DependencyInjection;

/// <summary>The one way every application resource and monitor is registered: validated named options, then the implementation.</summary>
internal static class ApplicationRegistration
{
    public static string ResourcePath(string group, string name) => $"{ClusterProOptions.SectionName}:Groups:{group}:Resources:{name}";

    public static string MonitorPath(string name) => $"{ClusterProOptions.SectionName}:Monitors:{name}";

    /// <summary>Named options, configured by <paramref name="configure"/> and validated at start-up by <paramref name="rules"/>.</summary>
    public static void AddValidatedOptions<TOptions>(
        IClusterProBuilder builder,
        string name,
        string path,
        Action<TOptions> configure,
        Action<TOptions, string, ClusterProOptions?, IServiceProvider, List<string>> rules)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<TOptions>(name).Configure(configure).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>>(sp => new ApplicationOptionsValidator<TOptions>(sp, name, path, rules));
    }

    /// <summary>
    /// A monitor with validated options; when its settings name a <see cref="ApplicationMonitorOptions.Resource"/> and its
    /// common settings no <see cref="MonitorOptions.TargetResource"/>, it runs while that resource is active and recovers it.
    /// </summary>
    public static IClusterProBuilder AddMonitor<TOptions>(
        IClusterProBuilder builder,
        string name,
        Action<TOptions> configure,
        Action<MonitorOptions>? monitor,
        Action<TOptions, string, ClusterProOptions?, IServiceProvider, List<string>> rules,
        Func<IServiceProvider, TOptions, IMonitorResource> create)
        where TOptions : ApplicationMonitorOptions, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        AddValidatedOptions(builder, name, MonitorPath(name), configure, rules);
        builder.AddMonitor(name, sp => create(sp, sp.Options<TOptions>(name)), m =>
        {
            // The settings as configured (the same delegate the options run), for the resource they watch.
            var settings = new TOptions();
            configure(settings);
            if (!string.IsNullOrWhiteSpace(settings.Resource))
            {
                if (m.TargetResource is null)
                {
                    m.Timing = MonitorTiming.WhileActive;
                    m.TargetResource = settings.Resource;
                }

                if (m.Recovery.TargetKind == RecoveryTargetKind.Resource && string.IsNullOrWhiteSpace(m.Recovery.Target))
                {
                    m.Recovery.Target = settings.Resource;
                }
            }

            monitor?.Invoke(m);
        });
        return builder;
    }
}
