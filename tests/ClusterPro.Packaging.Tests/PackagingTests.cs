using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace ClusterPro.Packaging.Tests;

/// <summary>
/// dotnet pack produces the three packages with their README, licence, XML docs and symbols, and a separate consumer
/// project that references them as packages, from that folder alone, builds and runs a VIP failover on the emulator.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private static readonly string[] Packages = ["ClusterPro.Core", "ClusterPro.Aws", "ClusterPro.Aws.Testing"];
    private readonly string _work = Path.Combine(Path.GetTempPath(), "clusterpro-pack-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Pack_ThenAConsumerUsesThePackages_ToComposeAVipThroughDi()
    {
        // Pack from a copy of the sources, so the packing build never touches the tree the other tests run from.
        var repo = CopySources(RepositoryRoot(), Path.Combine(_work, "repo"));
        var feed = Path.Combine(_work, "feed");
        foreach (var id in Packages)
        {
            var pack = await RunAsync("dotnet", repo, "pack", Path.Combine(repo, "src", id, id + ".csproj"), "-c", "Release", "-o", feed, $"-p:Version={_version}", "--nologo");
            pack.Code.Should().Be(0, pack.Output);
        }

        foreach (var id in Packages)
        {
            var nupkg = Path.Combine(feed, $"{id}.{_version}.nupkg");
            File.Exists(nupkg).Should().BeTrue($"{id} is packed");
            File.Exists(Path.Combine(feed, $"{id}.{_version}.snupkg")).Should().BeTrue($"{id} has a symbols package");
            using var zip = ZipFile.OpenRead(nupkg);
            zip.Entries.Select(e => e.FullName).Should().Contain(["README.md", $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml"]);
            using var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
            var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            metadata.Elements().Single(e => e.Name.LocalName == "license").Value.Should().Be("Apache-2.0");
            metadata.Elements().Single(e => e.Name.LocalName == "readme").Value.Should().Be("README.md");
        }


        var consumer = Path.Combine(_work, "consumer");
        Directory.CreateDirectory(consumer);
        var templates = Path.Combine(AppContext.BaseDirectory, "Consumer");
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), (await File.ReadAllTextAsync(Path.Combine(templates, "Consumer.csproj.template"))).Replace("$VERSION$", _version, StringComparison.Ordinal));
        File.Copy(Path.Combine(templates, "Program.cs.template"), Path.Combine(consumer, "Program.cs"));
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="clusterpro-local" value="{feed}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="clusterpro-local"><package pattern="ClusterPro.*" /></packageSource>
                <packageSource key="nuget.org"><package pattern="*" /></packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        var run = await RunAsync("dotnet", consumer, "run", "--project", Path.Combine(consumer, "Consumer.csproj"), "--nologo");

        run.Code.Should().Be(0, run.Output);
        run.Output.Should().Contain("Activating group failover1 on node2 succeeded").And.Contain("routes moved to node2: True");
        var assets = await File.ReadAllTextAsync(Path.Combine(consumer, "obj", "project.assets.json"));
        assets.Should().Contain($"\"ClusterPro.Aws/{_version}\"").And.Contain("\"type\": \"package\"").And.NotContain("\"type\": \"project\"");
    }

    private static string CopySources(string from, string to)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "nuget.config", "global.json", "eng/BannedSymbols.txt" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, file))!);
            File.Copy(Path.Combine(from, file), Path.Combine(to, file));
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(from, "src"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
            File.Copy(file, Path.Combine(to, relative));
        }

        return to;
    }

    private static string RepositoryRoot()
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

    private static async Task<(int Code, string Output)> RunAsync(string file, string directory, params string[] args)
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
