using System.Globalization;
using ClusterPro.Applications.Internal;
using ClusterPro.Applications.Processes;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Applications.Systemd;

/// <summary>
/// The systemd group resource: <c>systemctl start</c> on activation and <c>systemctl stop</c> on deactivation, then the
/// unit's state read until it is active (or inactive); a unit that does not get there fails with systemd's reason
/// (its Result, the main process's exit status, its status text). Nothing is kept in memory: systemd holds the state.
/// </summary>
internal sealed class SystemdResource : IGroupResource
{
    private static readonly TimeSpan MinimumCall = TimeSpan.FromSeconds(1);
    private readonly SystemdResourceOptions _options;
    private readonly Systemctl _systemctl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SystemdResource(string name, SystemdResourceOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _options = options;
        _time = time;
        _logger = logger;
        _systemctl = new Systemctl(name, options.Systemctl, time, logger);
    }

    public string Name { get; }

    public Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default) =>
        OperateAsync(start: true, cancellationToken);

    public Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default) =>
        OperateAsync(start: false, cancellationToken);

    private async Task<ResourceResult> OperateAsync(bool start, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var unit = _options.Unit;
        var began = _time.GetTimestamp();
        TimeSpan Left() => Max(_options.Timeout - _time.GetElapsedTime(began), MinimumCall);

        var (before, failure) = await _systemctl.ShowAsync(unit, Left(), cancellationToken).ConfigureAwait(false);
        if (before is null)
        {
            return failure!;
        }

        if (start && !before.Exists)
        {
            return ResourceResult.Failure(ApplicationResultCodes.UnitNotActive, $"{before.Describe()}.");
        }

        if (start ? before.IsActive : before.IsStopped || !before.Exists)
        {
            return ResourceResult.Unchanged($"{unit} is {before.ActiveState} already.");
        }

        var (verb, doing, done) = start ? ("start", "starting", "started") : ("stop", "stopping", "stopped");
        var job = await _systemctl.RunAsync(verb, unit, Left(), cancellationToken).ConfigureAwait(false);
        if (job.End != CommandEnd.Exited)
        {
            return _systemctl.Failed(job, $"{doing} {unit}");
        }

        while (true)
        {
            var (state, readFailure) = await _systemctl.ShowAsync(unit, Left(), cancellationToken).ConfigureAwait(false);
            if (state is null)
            {
                return readFailure!;
            }

            if (start ? state.IsActive : state.IsStopped)
            {
                Log.UnitChanged(_logger, Name, unit, state.ActiveState, state.Describe());
                return ResourceResult.Success([$"{done} {unit}: {state.ActiveState} ({state.Properties.GetValueOrDefault("SubState")})"]);
            }

            var settled = start ? state.IsStopped : state.IsActive;
            if (settled && (job.ExitCode != 0 || start))
            {
                // The job ended and the unit is where it was: systemd's reason, and what systemctl said.
                var said = job.Detail.Length > 0 ? $" systemctl: {job.Detail}" : string.Empty;
                return ResourceResult.Failure(ApplicationResultCodes.UnitNotActive, $"{unit} did not {verb}: {state.Describe()}.{said}");
            }

            if (_time.GetElapsedTime(began) >= _options.Timeout)
            {
                return ResourceResult.Failure(ResultCodes.Timeout, string.Create(CultureInfo.InvariantCulture, $"Command was not completed within {_options.Timeout.TotalSeconds:0.###} seconds: {state.Describe()}."));
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
