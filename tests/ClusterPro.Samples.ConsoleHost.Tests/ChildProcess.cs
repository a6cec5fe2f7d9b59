using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ClusterPro.Samples.Tests;

/// <summary>A program of the test's output folder run as a real process: its output lines as they come, signals, its exit.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(long At, string Line)> _lines = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<(long At, string Line)> _errorLines = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data, _lines);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _errors.Enqueue(e.Data);
            }

            Add(e.Data, _errorLines);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The lines of standard output.</summary>
    public IReadOnlyList<string> Lines => _lines.Select(l => l.Line).ToList();

    /// <summary>The lines of standard output and standard error (a node's log), in the order they came.</summary>
    public IReadOnlyList<string> AllLines => _lines.Concat(_errorLines).OrderBy(l => l.At).Select(l => l.Line).ToList();

    public string Output => string.Join(Environment.NewLine, Lines);

    public string Error => string.Join(Environment.NewLine, _errors);

    /// <summary>Standard output and standard error together (a node's log lines are on standard error).</summary>
    public string Log => Output + Environment.NewLine + Error;

    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// <c>dotnet</c>, with SIGINT handled as by default: a test run started in the background (a CI job, <c>cmd &amp;</c>)
    /// inherits SIGINT ignored, and .NET keeps an inherited ignore, so Ctrl+C would never reach the child.
    /// <c>env --default-signal</c> (coreutils 8.31 or newer) resets it and execs dotnet, which keeps the same process id.
    /// </summary>
    /// <returns>The start info, its streams redirected.</returns>
    public static ProcessStartInfo Dotnet()
    {
        var env = File.Exists("/usr/bin/env") ? "/usr/bin/env" : null;
        var info = new ProcessStartInfo(env ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        if (env is not null)
        {
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add("dotnet");
        }

        return info;
    }

    public static ChildProcess Start(string dll, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartIn(AppContext.BaseDirectory, dll, environment, args);

    /// <summary>Starts <paramref name="dll"/> (a path relative to the test's folder, or a full path) in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess StartIn(string workingDirectory, string dll, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = Dotnet();
        info.WorkingDirectory = workingDirectory;
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(info)!);
    }

    /// <summary>Waits (a real-time bound) for the first line, on standard output or error, that contains <paramref name="text"/>; returns when it came (a <see cref="TimeProvider.System"/> timestamp).</summary>
    public async Task<long> WaitForAsync(string text, TimeSpan within)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            foreach (var (at, line) in _lines.Concat(_errorLines).OrderBy(l => l.At))
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return at;
                }
            }

            var left = within - TimeProvider.System.GetElapsedTime(deadline);
            if (left <= TimeSpan.Zero || _process.HasExited && changed.IsCompleted)
            {
                throw new TimeoutException($"No line with '{text}' within {within.TotalSeconds} s (exited: {_process.HasExited}). Output:{Environment.NewLine}{Output}{Environment.NewLine}Error:{Environment.NewLine}{Error}");
            }

            await Task.WhenAny(changed, Task.Delay(left, TimeProvider.System));
        }
    }

    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within, TimeProvider.System);
        await _process.WaitForExitAsync(cts.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Add(string? line, ConcurrentQueue<(long, string)>? into)
    {
        if (line is not null)
        {
            into?.Enqueue((TimeProvider.System.GetTimestamp(), line));
        }

        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
