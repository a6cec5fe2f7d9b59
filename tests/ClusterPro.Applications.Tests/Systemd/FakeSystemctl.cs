namespace ClusterPro.Applications.Tests.Systemd;

/// <summary>
/// A stand-in for systemctl (this machine has no systemd as PID 1): a shell script that keeps each unit's state in a file
/// beside it and answers <c>show</c>, <c>start</c> and <c>stop</c> the way systemctl does — a failed start prints
/// systemctl's "Job for … failed" and leaves the unit <c>failed</c> with <c>Result=exit-code</c>. What it proves is
/// ClusterPro's side of the conversation, not systemd's.
/// </summary>
internal sealed class FakeSystemctl : IDisposable
{
    private readonly Scratch _scratch = new();

    public FakeSystemctl()
    {
        Path = _scratch.Script("systemctl", """
            dir=$(dirname "$0")
            verb=$1; shift
            unit=""
            for a in "$@"; do case "$a" in --*) ;; *) unit=$a ;; esac; done
            echo "$verb $unit" >> "$dir/calls"
            state() { cat "$dir/$unit.state" 2>/dev/null || echo inactive; }
            case "$verb" in
              show)
                if [ -f "$dir/$unit.missing" ]; then printf 'ActiveState=inactive\nSubState=dead\nResult=success\nLoadState=not-found\nExecMainStatus=0\nExecMainCode=0\nStatusText=\n'; exit 0; fi
                s=$(state)
                case "$s" in active) sub=running ;; failed) sub=failed ;; activating) sub=start ;; *) sub=dead ;; esac
                printf 'ActiveState=%s\nSubState=%s\nResult=%s\nLoadState=loaded\nExecMainStatus=%s\nExecMainCode=1\nStatusText=%s\n' "$s" "$sub" \
                  "$(cat "$dir/$unit.result" 2>/dev/null || echo success)" "$(cat "$dir/$unit.status" 2>/dev/null || echo 0)" "$(cat "$dir/$unit.text" 2>/dev/null)"
                ;;
              start)
                if [ -f "$dir/$unit.hang" ]; then sleep 300; fi
                if [ -f "$dir/$unit.fail" ]; then
                  echo failed > "$dir/$unit.state"; echo exit-code > "$dir/$unit.result"; echo 1 > "$dir/$unit.status"
                  echo "Job for $unit failed because the control process exited with error code." >&2
                  echo "See \"systemctl status $unit\" and \"journalctl -xeu $unit\" for details." >&2
                  exit 1
                fi
                if [ -f "$dir/$unit.slow" ]; then echo activating > "$dir/$unit.state"; (sleep 0.5; echo active > "$dir/$unit.state") >/dev/null 2>&1 & exit 0; fi
                echo active > "$dir/$unit.state"; rm -f "$dir/$unit.result" "$dir/$unit.status"
                ;;
              stop)
                echo inactive > "$dir/$unit.state"
                ;;
              *) echo "Unknown command verb $verb." >&2; exit 1 ;;
            esac
            """);
    }

    /// <summary>The fake's path (give it as the resource's <c>Systemctl</c>).</summary>
    public string Path { get; }

    /// <summary>The calls it got, one line each (<c>start nginx.service</c>).</summary>
    public IReadOnlyList<string> Calls => _scratch.Read("calls").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public string State(string unit) => _scratch.Read($"{unit}.state").Trim() is { Length: > 0 } s ? s : "inactive";

    public void SetState(string unit, string state) => File.WriteAllText(_scratch.Path($"{unit}.state"), state + "\n");

    /// <summary>Marks the unit: <c>fail</c> (its start fails), <c>hang</c> (start never returns), <c>slow</c> (activating for 0.5 s), <c>missing</c> (not loaded).</summary>
    public void Mark(string unit, string mark) => File.WriteAllText(_scratch.Path($"{unit}.{mark}"), string.Empty);

    public void Unmark(string unit, string mark) => File.Delete(_scratch.Path($"{unit}.{mark}"));

    public void SetText(string unit, string text) => File.WriteAllText(_scratch.Path($"{unit}.text"), text);

    public void Dispose() => _scratch.Dispose();
}
