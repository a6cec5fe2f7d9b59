using System.Globalization;

namespace ClusterPro.Applications.Systemd;

/// <summary>A unit's state as <c>systemctl show</c> reports it.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="Properties">The properties read (ActiveState, SubState, Result, LoadState, ExecMainStatus, ExecMainCode, StatusText).</param>
internal sealed record UnitState(string Unit, IReadOnlyDictionary<string, string> Properties)
{
    /// <summary>The properties asked for.</summary>
    public const string Query = "ActiveState,SubState,Result,LoadState,ExecMainStatus,ExecMainCode,StatusText";

    /// <summary><c>active</c>, <c>reloading</c>, <c>inactive</c>, <c>failed</c>, <c>activating</c> or <c>deactivating</c>.</summary>
    public string ActiveState => Get("ActiveState");

    /// <summary>Whether the unit runs (<c>active</c> or <c>reloading</c>).</summary>
    public bool IsActive => ActiveState is "active" or "reloading";

    /// <summary>Whether the unit does not run (<c>inactive</c> or <c>failed</c>).</summary>
    public bool IsStopped => ActiveState is "inactive" or "failed";

    /// <summary>Whether systemd knows the unit (its LoadState is not <c>not-found</c>).</summary>
    public bool Exists => Get("LoadState") is not ("not-found" or "");

    /// <summary>The state and, when it did not succeed, why: <c>nginx.service is failed (failed): result exit-code, main process exited with status 1</c>.</summary>
    public string Describe()
    {
        var text = $"{Unit} is {ActiveState} ({Get("SubState")})";
        if (!Exists)
        {
            return $"{Unit} is not loaded (LoadState={Get("LoadState")}): systemd does not know the unit on this node";
        }

        var result = Get("Result");
        if (result.Length > 0 && result != "success")
        {
            text += $": result {result}";
            if (int.TryParse(Get("ExecMainStatus"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var status) && status != 0)
            {
                text += Get("ExecMainCode") == "2" ? $", main process killed by signal {status}" : $", main process exited with status {status}";
            }
        }

        return Get("StatusText") is { Length: > 0 } status2 ? $"{text} — \"{status2}\"" : text;
    }

    /// <summary>Reads <c>systemctl show</c>'s <c>Name=value</c> lines.</summary>
    public static UnitState Parse(string unit, IEnumerable<string> lines)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                properties[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }

        return new UnitState(unit, properties);
    }

    private string Get(string name) => Properties.TryGetValue(name, out var value) ? value : string.Empty;
}
