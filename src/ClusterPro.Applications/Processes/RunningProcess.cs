using System.ComponentModel;
using System.Diagnostics;
using ClusterPro.Applications.Internal;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Applications.Processes;

/// <summary>
/// A command started in a session and process group of its own (<c>setsid</c>), so that a signal reaches the script
/// and every child it started: its output goes to the log line by line (secret values replaced by <c>***</c>), the last
/// lines are kept for the result's message, and its exit is noticed when the process ends — not when the last child
/// that inherited its output closes it.
/// </summary>
internal sealed class RunningProcess : IDisposable
{
    private const int TailLines = 20;
    private const int MaxOutputLines = 1000;

    /// <summary>util-linux's setsid at its system path, never from PATH; null where there is none (commands then run in
    /// the node's process group and a kill reaches the process tree .NET can see).</summary>
    internal static readonly string? SetSid = OperatingSystem.IsWindows() ? null : new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    private static int s_warnedNoSetSid;

    private readonly Process _process;
    private readonly CommandSpec _spec;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _tail = new();
    private readonly List<string> _stdout = [];
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningProcess(Process process, CommandSpec spec, ILogger logger, TimeProvider time)
    {
        _process = process;
        _spec = spec;
        _logger = logger;
        _time = time;
        _started = time.GetTimestamp();
    }

    private int _pid;

    /// <summary>The process ID; with <c>setsid</c> also its process group and session ID.</summary>
    public int Pid => _pid != 0 ? _pid : (_pid = _process.Id);

    /// <summary>Completes with the exit code when the process has exited (128 + N when a signal N ended it).</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Whether the command runs in a process group of its own.</summary>
    public static bool Grouped => SetSid is not null;

    /// <summary>How long it has run (or ran).</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_started);

    /// <summary>Starts the command.</summary>
    /// <exception cref="CommandStartException">It could not be started (no such file, not executable, unknown user …).</exception>
    public static RunningProcess Start(CommandSpec spec, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Arguments.Count == 0 || string.IsNullOrWhiteSpace(spec.Arguments[0]))
        {
            throw new CommandStartException("no command is configured");
        }

        var argv = spec.Shell ? ["/bin/sh", "-c", spec.Arguments[0]] : spec.Arguments;
        argv = [Resolve(argv[0], spec), .. argv.Skip(1)];
        if (!string.IsNullOrWhiteSpace(spec.WorkingDirectory) && !Directory.Exists(spec.WorkingDirectory))
        {
            throw new CommandStartException($"the working directory '{spec.WorkingDirectory}' does not exist");
        }
        var info = new ProcessStartInfo(SetSid ?? argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in SetSid is null ? argv.Skip(1) : argv)
        {
            info.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrWhiteSpace(spec.WorkingDirectory))
        {
            info.WorkingDirectory = spec.WorkingDirectory;
        }

        if (!string.IsNullOrWhiteSpace(spec.User))
        {
            info.UserName = spec.User;
        }

        // The node's own ClusterPro settings (its heartbeat key among them) are not the application's business.
        foreach (var inherited in info.Environment.Keys.Where(k => k.StartsWith("CLUSTERPRO_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(inherited);
        }

        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        if (SetSid is null && Interlocked.Exchange(ref s_warnedNoSetSid, 1) == 0)
        {
            Log.NoProcessGroups(logger, spec.Owner);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var running = new RunningProcess(process, spec, logger, time);
        process.Exited += (_, _) => running.OnExited();
        process.OutputDataReceived += (_, e) => running.OnLine("stdout", e.Data);
        process.ErrorDataReceived += (_, e) => running.OnLine("stderr", e.Data);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            process.Dispose();
            throw new CommandStartException(Reason(spec, ex), ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Log.CommandStarted(logger, spec.Quiet ? LogLevel.Debug : LogLevel.Information, spec.Owner, spec.Action, running.Pid, spec.Display);
        return running;
    }

    /// <summary>The last lines of output (stderr and stdout as they came), newest last, joined by " | ".</summary>
    public string Tail(int lines = 3)
    {
        lock (_tail)
        {
            return string.Join(" | ", _tail.Skip(Math.Max(0, _tail.Count - lines)));
        }
    }

    /// <summary>The first lines the command wrote to its standard output (up to 1000; secret values replaced).</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_tail)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>
    /// Waits (bounded) until the command's output has been read to its end, so that its last lines are in
    /// <see cref="Output"/> and <see cref="Tail"/>; a child that keeps the output open (a daemon a start script left
    /// running) is not waited for beyond <paramref name="wait"/>.
    /// </summary>
    public async Task DrainAsync(TimeSpan wait)
    {
        try
        {
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(wait, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Someone else holds the output open; what was read so far is what there is.
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the whole process group (or, without setsid, SIGKILL to the process tree).</summary>
    public void Signal(int signal)
    {
        if (HasExited && !Grouped)
        {
            return;
        }

        if (Grouped && NativeMethods.Kill(-Pid, signal) == 0)
        {
            return;
        }

        if (HasExited)
        {
            return;
        }

        try
        {
            if (signal == NativeMethods.SigKill || OperatingSystem.IsWindows())
            {
                _process.Kill(entireProcessTree: true);
            }
            else
            {
                NativeMethods.Kill(Pid, signal);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    /// <summary>Kills the process group and waits (bounded) for the process to end; true when it did.</summary>
    public async Task<bool> KillAsync(TimeSpan wait)
    {
        Signal(NativeMethods.SigKill);
        try
        {
            await Exited.WaitAsync(wait, _time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Dispose() => _process.Dispose();

    /// <summary>
    /// The program's full path: as given when it holds a '/', else found on the node's PATH (as a shell would); one that
    /// is missing or not executable is reported here, in words, rather than as setsid's exit code.
    /// </summary>
    private static string Resolve(string program, CommandSpec spec)
    {
        var path = program.Contains('/', StringComparison.Ordinal)
            ? program
            : (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => System.IO.Path.Combine(dir, program))
                .FirstOrDefault(File.Exists);
        if (path is null || !File.Exists(path))
        {
            throw new CommandStartException(path is null
                ? $"'{program}' was not found on the node's PATH (give its full path, e.g. /usr/bin/{program})"
                : $"'{program}' was not found");
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & anyExecute) == 0)
        {
            throw new CommandStartException($"'{path}' is not executable (chmod +x it, or run it through its interpreter, e.g. [\"/bin/sh\", \"{path}\"])");
        }

        return path;
    }

    private static string Reason(CommandSpec spec, Exception ex)
    {
        var program = spec.Shell ? "/bin/sh" : spec.Arguments[0];
        return ex switch
        {
            Win32Exception { NativeErrorCode: 2 } => $"'{program}' was not found (give its full path, e.g. /usr/bin/{Path.GetFileName(program)})",
            Win32Exception { NativeErrorCode: 13 } => $"'{program}' is not executable by {spec.User ?? "the node's user"} (chmod +x, or a mount with noexec?)",
            _ when !string.IsNullOrWhiteSpace(spec.WorkingDirectory) && !Directory.Exists(spec.WorkingDirectory) => $"the working directory '{spec.WorkingDirectory}' does not exist",
            _ => $"{ex.GetType().Name}: {ex.Message}",
        };
    }

    private LogLevel Level => _spec.Quiet ? LogLevel.Debug : LogLevel.Information;

    private void OnExited()
    {
        int code;
        try
        {
            code = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            code = -1;
        }

        Log.CommandExited(_logger, Level, _spec.Owner, _spec.Action, Pid, code, Elapsed.TotalMilliseconds);
        _exited.TrySetResult(code);
    }

    private void OnLine(string stream, string? line)
    {
        if (line is null)
        {
            (stream == "stdout" ? _stdoutClosed : _stderrClosed).TrySetResult();
            return;
        }

        foreach (var secret in _spec.Secrets)
        {
            if (secret.Length > 0)
            {
                line = line.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        lock (_tail)
        {
            if (stream == "stdout" && _stdout.Count < MaxOutputLines)
            {
                _stdout.Add(line);
            }

            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }

        Log.CommandOutput(_logger, Level, _spec.Owner, _spec.Action, Pid, stream, line);
    }
}
