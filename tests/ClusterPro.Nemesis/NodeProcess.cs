using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ClusterPro.Nemesis;

/// <summary>
/// One node: a real <c>dotnet clusterpro.dll run --config F --node N</c> process, started again after each kill. Its
/// output goes to <c>N.log</c> stamped with the run clock; its failover events (<c>node2: FenceCompleted node1: …</c>)
/// are parsed as they come. The nemesis kills it (SIGKILL), freezes and wakes it (SIGSTOP / SIGCONT), or cuts its power
/// when its instance is stopped.
/// </summary>
internal sealed partial class NodeProcess : IAsyncDisposable
{
    private readonly object _sync = new();
    private readonly string _dll;
    private readonly string _config;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly LogFile _log;
    private readonly RunClock _clock;
    private readonly Action<NodeEvent> _onEvent;
    private readonly Action<string> _onNote;
    private Process? _process;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ProcState _state = ProcState.NotStarted;

    /// <summary>Prepares the node; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="name">The node's name.</param>
    /// <param name="dll">clusterpro.dll.</param>
    /// <param name="config">The node's configuration file.</param>
    /// <param name="environment">Its environment (AWS endpoint of its proxy, credentials, heartbeat key).</param>
    /// <param name="logPath">Its log file.</param>
    /// <param name="clock">The run clock.</param>
    /// <param name="onEvent">Called with each failover event.</param>
    /// <param name="onNote">Called with process news (exits) for the timeline.</param>
    public NodeProcess(string name, string dll, string config, IReadOnlyDictionary<string, string> environment, string logPath, RunClock clock, Action<NodeEvent> onEvent, Action<string> onNote)
    {
        Name = name;
        _dll = dll;
        _config = config;
        _environment = environment;
        _log = new LogFile(logPath);
        _clock = clock;
        _onEvent = onEvent;
        _onNote = onNote;
    }

    /// <summary>The node's name.</summary>
    public string Name { get; }

    /// <summary>What its process is doing.</summary>
    public ProcState State
    {
        get
        {
            lock (_sync)
            {
                return _state;
            }
        }
    }

    /// <summary>Whether its process is alive (starting, running or frozen).</summary>
    public bool Alive => State is ProcState.Starting or ProcState.Running or ProcState.Paused;

    /// <summary>Starts the process (a new incarnation); it is <see cref="ProcState.Running"/> once it says it runs.</summary>
    public void Start()
    {
        lock (_sync)
        {
            if (_state is ProcState.Starting or ProcState.Running or ProcState.Paused)
            {
                return;
            }

            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var a in new[] { _dll, "run", "--config", _config, "--node", Name })
            {
                info.ArgumentList.Add(a);
            }

            // Nothing of the suite's own environment that could point the node elsewhere.
            foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ClusterPro", StringComparison.OrdinalIgnoreCase)).ToList())
            {
                info.Environment.Remove(key);
            }

            foreach (var (key, value) in _environment)
            {
                info.Environment[key] = value;
            }

            _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = Children.Start(info);
            _process = process;
            _state = ProcState.Starting;
            _log.Write(string.Create(CultureInfo.InvariantCulture, $"{_clock.Now:+0.000} === started, pid {process.Id}"));
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => OnExited(process);
            process.OutputDataReceived += (_, e) => OnLine(process, e.Data);
            process.ErrorDataReceived += (_, e) => OnLine(process, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
    }

    /// <summary>Waits until the process says it runs as a node.</summary>
    /// <param name="within">How long at most.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True when it runs; false when it did not in time or exited.</returns>
    public async Task<bool> WaitReadyAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        Task ready;
        lock (_sync)
        {
            ready = _ready.Task;
        }

        try
        {
            await ready.WaitAsync(within, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            return State is ProcState.Running or ProcState.Paused;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary><c>kill -9</c>.</summary>
    /// <param name="powerOff">Whether this is a power-off (its instance was stopped) rather than the nemesis's kill.</param>
    /// <returns>True when a live process was killed.</returns>
    public bool Kill(bool powerOff = false)
    {
        Process? process;
        lock (_sync)
        {
            if (_state is not (ProcState.Starting or ProcState.Running or ProcState.Paused) || _process is null)
            {
                return false;
            }

            process = _process;
            _state = powerOff ? ProcState.PoweredOff : ProcState.Killed;
        }

        Children.Kill(process);
        _log.Write(string.Create(CultureInfo.InvariantCulture, $"{_clock.Now:+0.000} === {(powerOff ? "powered off" : "killed")} (SIGKILL)"));
        return true;
    }

    /// <summary>SIGSTOP: the process freezes, its heartbeats stop, its timers stand still.</summary>
    /// <returns>True when a running process was frozen.</returns>
    public bool Pause() => Signal(ProcState.Running, ProcState.Paused, Posix.SigStop, "frozen (SIGSTOP)");

    /// <summary>SIGCONT: the frozen process carries on where it was.</summary>
    /// <returns>True when a frozen process was woken.</returns>
    public bool Resume() => Signal(ProcState.Paused, ProcState.Running, Posix.SigCont, "woken (SIGCONT)");

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Process? process;
        lock (_sync)
        {
            process = _process;
            if (_state is ProcState.Starting or ProcState.Running or ProcState.Paused)
            {
                _state = ProcState.Killed;
            }
        }

        if (process is not null)
        {
            Children.Kill(process);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            Children.Forget(process);
        }

        _log.Dispose();
    }

    [GeneratedRegex(@"^\S+ (?<level>\w+): ClusterPro\.Failover\.FailoverManager\[31\d\d\] (?<node>[^:\s]+): (?<kind>\w+) (?<subject>[^:]*): (?<detail>.*)$")]
    private static partial Regex EventLine();

    private bool Signal(ProcState from, ProcState to, int signal, string what)
    {
        lock (_sync)
        {
            if (_state != from || _process is null || !Posix.Signal(_process.Id, signal))
            {
                return false;
            }

            _state = to;
        }

        _log.Write(string.Create(CultureInfo.InvariantCulture, $"{_clock.Now:+0.000} === {what}"));
        return true;
    }

    private void OnLine(Process process, string? line)
    {
        if (line is null)
        {
            return;
        }

        var now = _clock.Now;
        _log.Write(string.Create(CultureInfo.InvariantCulture, $"{now:+0.000} {line}"));
        if (line.Contains(" is running (groups", StringComparison.Ordinal))
        {
            lock (_sync)
            {
                if (_process == process && _state == ProcState.Starting)
                {
                    _state = ProcState.Running;
                }

                _ready.TrySetResult();
            }
        }

        var m = EventLine().Match(line);
        if (m.Success && m.Groups["node"].Value == Name)
        {
            var level = m.Groups["level"].Value;
            _onEvent(new NodeEvent(now, Name, m.Groups["kind"].Value, m.Groups["subject"].Value, m.Groups["detail"].Value, level is "info" or "warn"));
        }
    }

    private void OnExited(Process process)
    {
        int code;
        try
        {
            code = process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return;
        }

        bool unexpected;
        lock (_sync)
        {
            unexpected = _process == process && _state is ProcState.Starting or ProcState.Running or ProcState.Paused;
            if (unexpected)
            {
                _state = ProcState.Exited;
            }

            _ready.TrySetResult();
        }

        Children.Forget(process);
        if (unexpected)
        {
            var why = code switch
            {
                3 => "left the cluster on its own",
                64 => "bad configuration",
                0 => "a planned stop",
                _ => "failed",
            };
            _log.Write(string.Create(CultureInfo.InvariantCulture, $"{_clock.Now:+0.000} === exited {code}"));
            _onNote($"{Name}'s process exited with code {code} ({why})");
        }
    }
}
