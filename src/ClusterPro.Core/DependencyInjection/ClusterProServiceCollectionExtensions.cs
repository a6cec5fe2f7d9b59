using System.Diagnostics.CodeAnalysis;
using ClusterPro.Failover;
using ClusterPro.Groups;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ClusterPro.DependencyInjection;

/// <summary>Builds a ClusterPro cluster in a service collection; features add themselves to it.</summary>
public interface IClusterProBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}

internal sealed class ClusterProBuilder(IServiceCollection services) : IClusterProBuilder
{
    public IServiceCollection Services { get; } = services;
}

/// <summary>Registers ClusterPro in a service collection.</summary>
public static class ClusterProServiceCollectionExtensions
{
    /// <summary>
    /// Adds ClusterPro's core services (idempotent): options validated at start, the
    /// <see cref="ClusterProFactory"/>, a logging-only <see cref="IFinalActionHandler"/> unless the host has
    /// one, and <see cref="TimeProvider.System"/> unless the host registered a <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>A builder to add resources and monitors.</returns>
    public static IClusterProBuilder AddClusterPro(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ClusterProOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterProOptions>, ClusterProOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFinalActionHandler, LoggingFinalActionHandler>();
        services.TryAddSingleton<ClusterProFactory>();
        return new ClusterProBuilder(services);
    }

    /// <summary>Adds ClusterPro and binds <see cref="ClusterProOptions"/> from the <c>ClusterPro</c> section of <paramref name="configuration"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration root (or any configuration holding a <c>ClusterPro</c> section).</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddClusterPro(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddClusterPro();
        services.Configure<ClusterProOptions>(configuration.GetSection(ClusterProOptions.SectionName));
        return builder;
    }

    /// <summary>Adds ClusterPro and configures it in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets nodes, groups and monitors.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddClusterPro(this IServiceCollection services, Action<ClusterProOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddClusterPro();
        services.Configure(configure);
        return builder;
    }
}

/// <summary>Adds resources, monitors and host hooks to a cluster.</summary>
public static class ClusterProBuilderExtensions
{
    /// <summary>
    /// Registers a group resource implementation under <paramref name="name"/> and places it in
    /// <paramref name="group"/> (after any resources already there), unless configuration already did.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="factory">Creates the implementation.</param>
    /// <param name="configure">Adjusts its group settings (dependencies, thresholds, final actions).</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddGroupResource(
        this IClusterProBuilder builder,
        string group,
        string name,
        Func<IServiceProvider, IGroupResource> factory,
        Action<GroupResourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.TryAddKeyedSingleton<IGroupResource>(name, (sp, _) => factory(sp));
        builder.Services.Configure<ClusterProOptions>(o =>
        {
            var existingGroup = o.FindGroupOf(name);
            if (existingGroup is null)
            {
                if (!o.Groups.TryGetValue(group, out var g))
                {
                    g = new GroupOptions();
                    o.Groups[group] = g;
                }

                g.Resources.Add(new GroupResourceOptions { Name = name });
                existingGroup = group;
            }

            configure?.Invoke(o.Groups[existingGroup].FindResource(name)!);
        });
        return builder;
    }

    /// <summary>Registers a monitor implementation under <paramref name="name"/> with its common settings.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The monitor name.</param>
    /// <param name="factory">Creates the implementation.</param>
    /// <param name="configure">Adjusts interval, timeout, retries and the recovery action (applied after configuration binding).</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddMonitor(
        this IClusterProBuilder builder,
        string name,
        Func<IServiceProvider, IMonitorResource> factory,
        Action<MonitorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.TryAddKeyedSingleton<IMonitorResource>(name, (sp, _) => factory(sp));
        builder.Services.Configure<ClusterProOptions>(o =>
        {
            if (!o.Monitors.TryGetValue(name, out var m))
            {
                m = new MonitorOptions();
                o.Monitors[name] = m;
            }

            configure?.Invoke(m);
        });
        return builder;
    }

    /// <summary>Uses the host's <see cref="IFinalActionHandler"/> (stop the service, shut down or reboot the OS).</summary>
    /// <typeparam name="THandler">The host's handler.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder UseFinalActionHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(this IClusterProBuilder builder)
        where THandler : class, IFinalActionHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<IFinalActionHandler>();
        builder.Services.AddSingleton<IFinalActionHandler, THandler>();
        return builder;
    }
}
