using ClusterPro.Monitoring;

namespace ClusterPro.Applications.Systemd;

/// <summary>Normal while the unit is active; a warning (105) while it is activating, reloading or deactivating; error 5 otherwise, with systemd's reason.</summary>
internal sealed class SystemdMonitor(string name, string unit, Systemctl systemctl) : IMonitorResource
{
    /// <summary>A bound on one read of the state; the runner's own timeout cancels it sooner.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromMinutes(5);

    public string Name { get; } = name;

    public async Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        var (state, failure) = await systemctl.ShowAsync(unit, ReadTimeout, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return MonitorResult.Error(failure!.Code, failure.Message);
        }

        if (state.ActiveState == "active")
        {
            return MonitorResult.Normal($"{unit} is active ({state.Properties.GetValueOrDefault("SubState")}).");
        }

        return state.ActiveState is "activating" or "reloading" or "deactivating"
            ? MonitorResult.Warning(ApplicationResultCodes.UnitNotActive, $"{state.Describe()}.")
            : MonitorResult.Error(ApplicationResultCodes.UnitNotActive, $"{state.Describe()}.");
    }
}
