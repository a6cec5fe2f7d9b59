using System.Globalization;
using ClusterPro.Applications.DependencyInjection;
using ClusterPro.Applications.Processes;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Applications.Exec;

/// <summary>Adds exec resources and process monitors to a ClusterPro builder.</summary>
public static class ExecClusterProBuilderExtensions
{
    /// <summary>
    /// Adds an exec resource to <paramref name="group"/> (after any resources already there, unless configuration placed
    /// it): its start command runs on activation, its stop command on deactivation, each told why by its environment
    /// (<see cref="ExecEnvironment"/>); in <see cref="ExecMode.Service"/> the start command is the service, supervised.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="group">The failover group.</param>
    /// <param name="name">The resource name (e.g. <c>app1</c>).</param>
    /// <param name="configure">Commands, mode, environment, user, timeouts.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddExec(this IClusterProBuilder builder, string group, string name, Action<ExecResourceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ApplicationRegistration.AddValidatedOptions(builder, name, ApplicationRegistration.ResourcePath(group, name), configure, (o, path, cluster, _, errors) => Check(o, path, group, name, cluster, errors));
        ApplicationResourceKinds.For(builder.Services).Add(name, ApplicationResourceKinds.Exec);
        builder.Services.AddKeyedSingleton(name, (sp, _) => new ExecResource(name, sp.Options<ExecResourceOptions>(name), sp.Time(), sp.Logger<ExecResource>()));
        builder.AddGroupResource(group, name, sp => sp.GetRequiredKeyedService<ExecResource>(name));
        return builder;
    }

    /// <summary>
    /// Adds a process monitor: normal while the service of the exec resource named in
    /// <see cref="ApplicationMonitorOptions.Resource"/> (in <see cref="ExecMode.Service"/>) runs on the node, error 4 once
    /// it has exited. It runs while that resource is active and its recovery restarts it (reactivation), then fails the
    /// group over, then takes the final action — the usual ladder, set in <paramref name="monitor"/>.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The monitor name (e.g. <c>appw1</c>).</param>
    /// <param name="configure">The exec resource watched.</param>
    /// <param name="monitor">Interval, timeout, retries, start wait and recovery.</param>
    /// <returns>The builder.</returns>
    public static IClusterProBuilder AddProcessMonitor(this IClusterProBuilder builder, string name, Action<ProcessMonitorOptions> configure, Action<MonitorOptions>? monitor = null) =>
        ApplicationRegistration.AddMonitor(builder, name, configure, monitor, CheckProcessMonitor, (sp, o) => new ProcessMonitor(name, o.Resource!, sp.GetRequiredKeyedService<ExecResource>(o.Resource!)));

    private static void Check(ExecResourceOptions o, string path, string group, string name, ClusterProOptions? cluster, List<string> errors)
    {
        SettingChecks.Command(o.Start, o.Shell, $"{path}:Start", required: true, errors);
        SettingChecks.Command(o.Stop, o.Shell, $"{path}:Stop", required: false, errors);
        SettingChecks.Environment(o.Environment, $"{path}:Environment", errors);
        SettingChecks.Environment(o.SecretEnvironment, $"{path}:SecretEnvironment", errors);
        SettingChecks.AbsolutePath(o.WorkingDirectory, $"{path}:WorkingDirectory", errors);
        SettingChecks.User(o.User, $"{path}:User", errors);
        SettingChecks.Positive(o.Timeout, $"{path}:Timeout", errors);
        if (o.StartTimeout is { } start)
        {
            SettingChecks.Positive(start, $"{path}:StartTimeout", errors);
        }

        if (o.StopTimeout is { } stop)
        {
            SettingChecks.Positive(stop, $"{path}:StopTimeout", errors);
        }

        if (o.StartupGrace < TimeSpan.Zero)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:StartupGrace is {o.StartupGrace}; use zero or a positive time span such as \"00:00:00.500\"."));
        }

        // The group must not give up on a command before the command's own timeout kills it.
        if (cluster is not null && cluster.Groups.TryGetValue(group, out var g) && g.FindResource(name) is { } member)
        {
            var starting = o.Mode == ExecMode.Service ? o.StartupGrace : o.EffectiveStartTimeout + CommandRunner.KillWait;
            if (starting >= member.ActivationTimeout)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:ActivationTimeout is {member.ActivationTimeout}, not longer than the start ({(o.Mode == ExecMode.Service ? "StartupGrace" : "StartTimeout")} {starting - (o.Mode == ExecMode.Service ? TimeSpan.Zero : CommandRunner.KillWait)} and 5 s to kill it); raise ActivationTimeout or lower the start's timeout."));
            }

            var stopping = o.EffectiveStopTimeout + CommandRunner.KillWait;
            if (stopping >= member.DeactivationTimeout)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}:DeactivationTimeout is {member.DeactivationTimeout}, not longer than the stop (StopTimeout {o.EffectiveStopTimeout} and 5 s to kill it); raise DeactivationTimeout or lower StopTimeout."));
            }
        }
    }

    private static void CheckProcessMonitor(ProcessMonitorOptions o, string path, ClusterProOptions? cluster, IServiceProvider sp, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(o.Resource))
        {
            errors.Add($"{path}:Resource is empty; name the exec resource (Mode service) whose service the process monitor watches.");
            return;
        }

        var kinds = sp.GetService<ApplicationResourceKinds>();
        if (kinds?.KindOf(o.Resource) != ApplicationResourceKinds.Exec)
        {
            errors.Add($"{path}:Resource is '{o.Resource}', which is not an exec resource; name an exec resource with Mode service (a custom, tcp or http monitor watches anything else).");
            return;
        }

        if (!kinds.IsReadable(o.Resource))
        {
            return;
        }

        try
        {
            if (sp.Options<ExecResourceOptions>(o.Resource).Mode != ExecMode.Service)
            {
                errors.Add($"{path}:Resource '{o.Resource}' is an exec resource in oneshot mode, whose start command does not stay running; set its Mode to service, or watch the application with a custom, tcp or http monitor.");
            }
        }
        catch (OptionsValidationException)
        {
            // The resource's own settings are reported on their own.
        }
    }
}
