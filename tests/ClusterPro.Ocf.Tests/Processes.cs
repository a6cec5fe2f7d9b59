using System.Diagnostics;

namespace ClusterPro.Ocf.Tests;

/// <summary>Runs a program to its end, with an environment of its own, capturing what it prints.</summary>
internal static class Processes
{
    public static async Task<(int Code, string Output, string Error)> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? within = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(within ?? TimeSpan.FromMinutes(3), TimeProvider.System);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not end within {within ?? TimeSpan.FromMinutes(3)}: {await output}{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Whether a program exists and runs (<c>unshare --mount true</c> exits 0 where mount namespaces are allowed).</summary>
    public static async Task<bool> WorksAsync(string file, params string[] args)
    {
        if (!File.Exists(file))
        {
            return false;
        }

        try
        {
            return (await RunAsync(file, args, within: TimeSpan.FromSeconds(30))).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
