using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ClusterPro.Web.Tests;

/// <summary>
/// A program of the test's output folder (the clusterpro tool, the standalone emulator) run as a real process: every line
/// it writes to standard output or standard error as it comes, with when it came; signals; its exit.
/// </summary>
internal sealed class RunningProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(long At, string Line)> _lines = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningProgram(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public IReadOnlyList<string> Lines => _lines.Select(l => l.Line).ToList();

    public string Output => string.Join(Environment.NewLine, Lines);

    public static RunningProgram Start(string dll, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = AppContext.BaseDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new RunningProgram(Process.Start(info)!);
    }

    /// <summary>Waits (a real-time bound) for the first line that contains <paramref name="text"/>; returns when it came (a <see cref="TimeProvider.System"/> timestamp).</summary>
    public async Task<long> WaitForAsync(string text, TimeSpan within)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            foreach (var (at, line) in _lines)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return at;
                }
            }

            var left = within - TimeProvider.System.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || (_process.HasExited && changed.IsCompleted))
            {
                throw new TimeoutException($"No line with '{text}' within {within.TotalSeconds} s (exited: {_process.HasExited}). Output:{Environment.NewLine}{Output}");
            }

            await Task.WhenAny(changed, Task.Delay(left, TimeProvider.System));
        }
    }

    /// <summary>Sends a signal (<c>KILL</c> is <c>kill -9</c>: no planned stop, no last heartbeat).</summary>
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

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue((TimeProvider.System.GetTimestamp(), line));
        }

        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }
}
