using System.Text.RegularExpressions;
using ClusterPro.Aws.Testing;
using ClusterPro.Samples.Tests;
using ClusterPro.Tests.Shared;

namespace ClusterPro.Samples.Quickstart.Tests;

/// <summary>
/// The README's quickstart as a newcomer uses it: a fresh project outside the solution (a temporary folder) that
/// references only the packed packages (<c>ClusterPro.Aws</c>, with <c>ClusterPro.Core</c> under it, from a local folder
/// beside the machine's own NuGet sources) and <c>Microsoft.Extensions.Hosting</c>, with the README's C# and JSON blocks
/// pasted verbatim; it builds, and runs as node1 against the emulator until Ctrl+C.
/// </summary>
public sealed partial class ReadmeQuickstartPastedTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _work = Path.Combine(Path.GetTempPath(), "clusterpro-readme-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _version = "0.1.0-readme" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
    private AwsEmulator _emulator = null!;

    public async Task InitializeAsync() =>
        _emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task ReadmeQuickstart_PastedIntoAFreshProjectOnThePackedPackages_BuildsAndRunsOnTheEmulator()
    {
        // Packed from a copy of the sources (a git repository of its own), so the tree the other tests use is untouched.
        var root = SourceTree.RepositoryRoot();
        var repo = SourceTree.Copy(root, Path.Combine(_work, "repo"), "src");
        await SourceTree.CommitAsync(repo, "readme test");

        var feed = Path.Combine(_work, "feed");
        foreach (var id in new[] { "ClusterPro.Core", "ClusterPro.Aws" })
        {
            var pack = await SourceTree.RunAsync("dotnet", repo, "pack", Path.Combine(repo, "src", id, id + ".csproj"), "-c", "Release", "-o", feed, $"-p:Version={_version}", "--nologo");
            pack.Code.Should().Be(0, pack.Output);
        }

        // The fresh project: the README's blocks verbatim, a project file with the two references the README names.
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var app = Directory.CreateDirectory(Path.Combine(_work, "MyClusterApp")).FullName;
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), Block(readme, "samples/ClusterPro.Samples.Quickstart/Program.cs#quickstart"));
        await File.WriteAllTextAsync(Path.Combine(app, "MyService.cs"), Block(readme, "samples/ClusterPro.Samples.Quickstart/MyService.cs#my-service"));
        await File.WriteAllTextAsync(Path.Combine(app, "appsettings.json"), Block(readme, "samples/ClusterPro.Samples.Quickstart/appsettings.json"));
        await File.WriteAllTextAsync(Path.Combine(app, "MyClusterApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ClusterPro.Aws" Version="{_version}" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.15" />
              </ItemGroup>
              <ItemGroup>
                <None Update="appsettings.json" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """);

        // The local folder beside the machine's own sources (its user-level NuGet configuration still applies).
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="clusterpro-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        var build = await SourceTree.RunAsync("dotnet", app, "build", "-c", "Release", "-o", Path.Combine(app, "out"), "--nologo");
        build.Code.Should().Be(0, build.Output);
        var assets = await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json"));
        assets.Should().Contain($"\"ClusterPro.Aws/{_version}\"").And.Contain($"\"ClusterPro.Core/{_version}\"").And.NotContain("\"type\": \"project\"");

        var s = _emulator.Scenario!;
        await using var node = ChildProcess.StartIn(app, Path.Combine(app, "out", "MyClusterApp.dll"), QuickstartTests.Environment(_emulator));
        await node.WaitForAsync("node1: GroupActivated failover1", Wait);
        var eip = _emulator.Inspect.AddressTarget(s.EipAllocationId);
        await node.SignalAsync("INT");
        var exit = await node.WaitForExitAsync(Wait);

        eip.Should().Be(s.Node1.EniId);
        exit.Should().Be(0, node.Output + node.Error);
        node.Output.Should().Contain("node1: planned stop done in");
    }

    /// <summary>The code block that follows <c>&lt;!-- snippet: SOURCE --&gt;</c> in the README, as a reader copies it.</summary>
    private static string Block(string readme, string source)
    {
        var at = readme.IndexOf($"<!-- snippet: {source} -->", StringComparison.Ordinal);
        at.Should().BeGreaterThan(0, $"the README has the snippet {source}");
        var block = Fence().Match(readme, at);
        block.Success.Should().BeTrue();
        return block.Groups["code"].Value;
    }

    [GeneratedRegex(@"```[a-z]*\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fence();
}
