using System.Text.RegularExpressions;
using ClusterPro.Applications.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Applications.Systemd;

/// <summary>Adds systemd resources and monitors to a ClusterPro builder.</summary>
public static partial class SystemdClusterProBuilderExtensions
{
    /// <summary>
    /// Adds a systemd resource to <paramref name="group"/>: <c>systemctl start</c> of its unit on activation and
    /// <c>systemctl stop</c> on deactivation, each waited for until the unit is active (inactive), systemd's reason in the
    /// result when it is not.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name (e.g. <c>web1</c>).</param>
    /// <param name="configure">The unit and timeouts.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddSystemd(this IClusterProBuilder builder, string group, string name, Action<SystemdResourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ApplicationRegistration.AddValidatedOptions<SystemdResourceOptions>(builder, name, ApplicationRegistration.ResourcePath(group, name), configure, (o, path, _, _, errors) =>
        {
            CheckUnit(o.Unit, $"{path}:Unit", errors);
            SettingChecks.Positive(o.Timeout, $"{path}:Timeout", errors);
            SettingChecks.Positive(o.PollInterval, $"{path}:PollInterval", errors);
            SettingChecks.AbsolutePath(o.Systemctl, $"{path}:Systemctl", errors);
        });
        ApplicationResourceKinds.For(builder.Services).Add(name, ApplicationResourceKinds.Systemd);
        builder.Services.AddKeyedSingleton(name, (sp, _) => new SystemdResource(name, sp.Options<SystemdResourceOptions>(name), sp.Time(), sp.Logger<SystemdResource>()));
        builder.AddGroupResource(group, name, sp => sp.GetRequiredKeyedService<SystemdResource>(name));
        return builder;
    }

    /// <summary>
    /// Adds a systemd monitor: normal while the unit (its own <see cref="SystemdMonitorOptions.Unit"/>, or that of the
    /// systemd resource named in <see cref="ApplicationMonitorOptions.Resource"/>) is active; warning 105 while it is
    /// activating, reloading or deactivating; error 5, with systemd's reason, otherwise.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The monitor name.</param>
    /// <param name="configure">The unit or the resource.</param>
    /// <param name="monitor">Interval, timeout, retries, start wait and recovery.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddSystemdMonitor(this IClusterProBuilder builder, string name, Action<SystemdMonitorOptions> configure, Action<MonitorOptions>? monitor = null) =>
        ApplicationRegistration.AddMonitor(builder, name, configure, monitor, CheckMonitor, (sp, o) =>
        {
            var resource = string.IsNullOrWhiteSpace(o.Resource) ? null : sp.Options<SystemdResourceOptions>(o.Resource);
            var unit = string.IsNullOrWhiteSpace(o.Unit) ? resource!.Unit : o.Unit;
            return new SystemdMonitor(name, unit, new Systemctl(name, o.Systemctl ?? resource?.Systemctl, sp.Time(), sp.Logger<SystemdMonitor>()));
        });

    private static void CheckMonitor(SystemdMonitorOptions o, string path, ClusterProOptions? cluster, IServiceProvider sp, List<string> errors)
    {
        SettingChecks.AbsolutePath(o.Systemctl, $"{path}:Systemctl", errors);
        if (!string.IsNullOrWhiteSpace(o.Unit))
        {
            CheckUnit(o.Unit, $"{path}:Unit", errors);
        }
        else if (string.IsNullOrWhiteSpace(o.Resource))
        {
            errors.Add($"{path}:Unit and Resource are empty; name the unit (e.g. \"Unit\": \"nginx.service\") or the systemd resource that starts it (\"Resource\").");
        }
        else if (sp.GetService<ApplicationResourceKinds>()?.KindOf(o.Resource) != ApplicationResourceKinds.Systemd)
        {
            errors.Add($"{path}:Resource is '{o.Resource}', which is not a systemd resource; name one, or give the unit in Unit.");
        }
    }

    private static void CheckUnit(string? unit, string path, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            errors.Add($"{path} is empty; name the unit with its type, e.g. nginx.service.");
        }
        else if (!UnitName().IsMatch(unit))
        {
            errors.Add($"{path} is '{unit}', which is not a unit name; use the name with its type, e.g. nginx.service or app@1.service.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9:_.\\@][A-Za-z0-9:_.\\@-]*\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitName();
}
