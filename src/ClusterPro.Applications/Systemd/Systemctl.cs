using System.Globalization;
using ClusterPro.Applications.Processes;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Applications.Systemd;

/// <summary>Talks to systemd through <c>systemctl</c> (at its system path unless configured): start, stop, and the unit's state.</summary>
internal sealed class Systemctl(string owner, string? configuredPath, TimeProvider time, ILogger logger)
{
    /// <summary>The program: the configured path, else <c>/usr/bin/systemctl</c> or <c>/bin/systemctl</c>.</summary>
    public string Path { get; } = configuredPath ?? new[] { "/usr/bin/systemctl", "/bin/systemctl" }.FirstOrDefault(File.Exists) ?? "/usr/bin/systemctl";

    /// <summary>Runs <c>systemctl {verb} -- {unit}</c> (start or stop: the job's end is waited for).</summary>
    public Task<CommandOutcome> RunAsync(string verb, string unit, TimeSpan timeout, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync(Spec(verb, quiet: false, verb, "--no-ask-password", "--", unit), timeout, time, logger, cancellationToken);

    /// <summary>The unit's state, or a failed result saying why it could not be read.</summary>
    public async Task<(UnitState? State, ResourceResult? Failure)> ShowAsync(string unit, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var outcome = await CommandRunner.RunAsync(Spec("show", quiet: true, "show", $"--property={UnitState.Query}", "--", unit), timeout, time, logger, cancellationToken).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return (null, Failed(outcome, $"reading the state of {unit}"));
        }

        var state = UnitState.Parse(unit, outcome.Output);
        return state.ActiveState.Length == 0
            ? (null, ResourceResult.Failure(ApplicationResultCodes.SystemctlFailed, $"{Path} show {unit} gave no ActiveState.{Last(outcome)}"))
            : (state, null);
    }

    /// <summary>A failed result for a systemctl call that did not succeed: not run (6), timed out (1), or exited non-zero (6, with its output).</summary>
    public ResourceResult Failed(CommandOutcome outcome, string doing) => outcome.End switch
    {
        CommandEnd.TimedOut => ResourceResult.Failure(ResultCodes.Timeout, string.Create(CultureInfo.InvariantCulture, $"Command was not completed within {outcome.Timeout.TotalSeconds:0.###} seconds ({Path}, {doing}); systemctl was killed.")),
        CommandEnd.NotStarted => ResourceResult.Failure(ApplicationResultCodes.SystemctlFailed, $"systemctl could not be run ({doing}): {outcome.Detail}."),
        _ => ResourceResult.Failure(ApplicationResultCodes.SystemctlFailed, $"systemctl failed {doing} (exit {outcome.ExitCode}).{Last(outcome)}"),
    };

    private static string Last(CommandOutcome outcome) => outcome.Detail.Length > 0 ? $" {outcome.Detail}" : string.Empty;

    private CommandSpec Spec(string verb, bool quiet, params string[] arguments) =>
        new(owner, "systemctl", [Path, .. arguments], false, null, new Dictionary<string, string>(StringComparer.Ordinal) { ["SYSTEMD_PAGER"] = string.Empty }, [], null, quiet || verb == "show");
}
