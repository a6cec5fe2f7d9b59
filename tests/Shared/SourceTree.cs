using System.Diagnostics;

namespace ClusterPro.Tests.Shared;

/// <summary>
/// The repository's sources, for tests that pack from a copy of them (a clean folder, as a user's clone is): the build
/// files at the root and the given folders, without any <c>bin</c> or <c>obj</c>. Compiled into each test project that
/// needs it (linked, not referenced), so a packaging test depends on nothing it packs.
/// </summary>
internal static class SourceTree
{
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Packages.props", "nuget.config", "global.json", "eng/BannedSymbols.txt", "README.md"];

    /// <summary>The repository root: the first folder above the test's own that holds <c>ClusterPro.sln</c>.</summary>
    /// <returns>Its path.</returns>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClusterPro.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("ClusterPro.sln was not found above the test's folder.");
    }

    /// <summary>Copies the build files and <paramref name="folders"/> (relative to <paramref name="from"/>) to <paramref name="to"/>.</summary>
    /// <param name="from">The repository root.</param>
    /// <param name="to">The copy's root.</param>
    /// <param name="folders">The folders to copy, e.g. <c>src</c>.</param>
    /// <returns><paramref name="to"/>.</returns>
    public static string Copy(string from, string to, params string[] folders)
    {
        foreach (var file in BuildFiles)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, file))!);
            File.Copy(Path.Combine(from, file), Path.Combine(to, file));
        }

        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(from, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(from, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
                File.Copy(file, Path.Combine(to, relative));
            }
        }

        return to;
    }

    /// <summary>Makes the copy a git repository with one commit and no remote (as a user's clone is built).</summary>
    /// <param name="repo">The copy's root.</param>
    /// <param name="message">The commit's message.</param>
    /// <returns>The commit.</returns>
    public static async Task<string> CommitAsync(string repo, string message)
    {
        foreach (var args in new[] { new[] { "init", "-q" }, ["add", "-A"], ["-c", "user.name=ClusterPro", "-c", "user.email=clusterpro@localhost", "commit", "-q", "-m", message] })
        {
            var git = await RunAsync("git", repo, args);
            if (git.Code != 0)
            {
                throw new InvalidOperationException($"git {string.Join(' ', args)} failed ({git.Code}): {git.Output}");
            }
        }

        var head = await RunAsync("git", repo, "rev-parse", "HEAD");
        return head.Code == 0 ? head.Output.Trim() : throw new InvalidOperationException($"git rev-parse HEAD failed ({head.Code}): {head.Output}");
    }

    /// <summary>Runs a program to its end in <paramref name="directory"/> (MSBuild without node reuse or a build server, so no process outlives the test).</summary>
    /// <param name="file">The program.</param>
    /// <param name="directory">Its working directory.</param>
    /// <param name="args">Its arguments.</param>
    /// <returns>Its exit code, and standard output followed by standard error.</returns>
    public static async Task<(int Code, string Output)> RunAsync(string file, string directory, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
