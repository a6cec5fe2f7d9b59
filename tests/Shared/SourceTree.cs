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
}
