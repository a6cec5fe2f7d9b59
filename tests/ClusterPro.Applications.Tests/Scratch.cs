using System.Globalization;

namespace ClusterPro.Applications.Tests;

/// <summary>A temporary folder for a test's scripts and the files they write; removed afterwards.</summary>
internal sealed class Scratch : IDisposable
{
    public Scratch() => Directory.CreateDirectory(Root);

    public string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "clusterpro-apps-" + Guid.NewGuid().ToString("N")[..8]);

    public string Path(string name) => System.IO.Path.Combine(Root, name);

    /// <summary>Writes a shell script and makes it executable; returns its path.</summary>
    public string Script(string name, string body)
    {
        var path = Path(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    public string Read(string name) => File.Exists(Path(name)) ? File.ReadAllText(Path(name)) : string.Empty;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Real processes, observed through /proc, waited for within real-time bounds.</summary>
internal static class Pids
{
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    /// <summary>Whether the process exists and is not a zombie (a killed child whose reaper has not reaped it yet is dead).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The PID a script wrote to <paramref name="file"/>, once it has.</summary>
    public static async Task<int> ReadAsync(string file)
    {
        var pid = 0;
        (await Eventually.TrueAsync(() => File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out pid))).Should().BeTrue($"{file} holds a PID");
        return pid;
    }

    public static Task<bool> DeadAsync(int pid) => Eventually.TrueAsync(() => !IsAlive(pid));

    public static void Kill(int pid)
    {
        try
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
        catch (ArgumentException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }
}

/// <summary>Polls a condition until it holds or a real-time bound passes.</summary>
internal static class Eventually
{
    public static async Task<bool> TrueAsync(Func<bool> condition, TimeSpan? within = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > (within ?? Pids.Within))
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }

        return true;
    }
}
