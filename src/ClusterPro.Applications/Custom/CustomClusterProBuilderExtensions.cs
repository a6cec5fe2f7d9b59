using ClusterPro.Applications.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;

namespace ClusterPro.Applications.Custom;

/// <summary>Adds custom (command) monitors to a ClusterPro builder.</summary>
public static class CustomClusterProBuilderExtensions
{
    /// <summary>
    /// Adds a custom monitor: its command's exit code is the check (0 normal, 1 warning 102, other error 2), run in a
    /// process group of its own that the monitor's timeout kills whole.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The monitor name.</param>
    /// <param name="configure">The command, environment, user, and the resource watched.</param>
    /// <param name="monitor">Interval, timeout, retries, start wait and recovery.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddCustomMonitor(this IClusterProBuilder builder, string name, Action<CustomMonitorOptions> configure, Action<MonitorOptions>? monitor = null) =>
        ApplicationRegistration.AddMonitor(
            builder,
            name,
            configure,
            monitor,
            (o, path, _, _, errors) =>
            {
                SettingChecks.Command(o.Command, o.Shell, $"{path}:Command", required: true, errors);
                SettingChecks.Environment(o.Environment, $"{path}:Environment", errors);
                SettingChecks.Environment(o.SecretEnvironment, $"{path}:SecretEnvironment", errors);
                SettingChecks.AbsolutePath(o.WorkingDirectory, $"{path}:WorkingDirectory", errors);
                SettingChecks.User(o.User, $"{path}:User", errors);
            },
            (sp, o) => new CustomMonitor(name, o, sp.Time(), sp.Logger<CustomMonitor>()));
}
