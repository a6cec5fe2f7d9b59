using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;
using ClusterPro.Tests.Shared;

namespace ClusterPro.Packaging.Tests;

/// <summary>
/// dotnet pack produces the four packages with their README, licence, XML docs, repository and project URLs, and
/// symbols whose SourceLink points at the packed commit with no local path, and a separate consumer
/// project that references them as packages, from that folder alone, builds and runs a VIP failover on the emulator.
/// </summary>
public sealed class PackagingTests : IDisposable
{
    private static readonly string[] Packages = ["ClusterPro.Core", "ClusterPro.Aws", "ClusterPro.Aws.Testing", "ClusterPro.Applications"];
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
        // Pack from a copy of the sources, so the packing build never touches the tree the other tests run from. The copy is
        // a git repository of its own with one commit and no remote, built as CI builds (ContinuousIntegrationBuild).
        var root = SourceTree.RepositoryRoot();
        var repo = SourceTree.Copy(root, Path.Combine(_work, "repo"), "src");
        var commit = await SourceTree.CommitAsync(repo, "packaging test");
        var canonicalUrl = CanonicalRepositoryUrl(root);
        var feed = Path.Combine(_work, "feed");
        foreach (var id in Packages)
        {
            var pack = await SourceTree.RunAsync("dotnet", repo, "pack", Path.Combine(repo, "src", id, id + ".csproj"), "-c", "Release", "-o", feed, $"-p:Version={_version}", "-p:ContinuousIntegrationBuild=true", "-warnaserror", "--nologo");
            pack.Code.Should().Be(0, pack.Output);
        }

        foreach (var id in Packages)
        {
            var nupkg = Path.Combine(feed, $"{id}.{_version}.nupkg");
            File.Exists(nupkg).Should().BeTrue($"{id} is packed");
            using (var zip = ZipFile.OpenRead(nupkg))
            {
                zip.Entries.Select(e => e.FullName).Should().Contain(["README.md", $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml"]);
                var metadata = Metadata(zip);
                Element(metadata, "license").Value.Should().Be("Apache-2.0");
                Element(metadata, "readme").Value.Should().Be("README.md");
                Element(metadata, "projectUrl").Value.Should().Be(canonicalUrl);
                var repository = Element(metadata, "repository");
                repository.Attribute("type")!.Value.Should().Be("git");
                repository.Attribute("url")!.Value.Should().Be(canonicalUrl);
                repository.Attribute("commit")!.Value.Should().Be(commit);
                using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
                (await readme.ReadToEndAsync()).Should().Contain(canonicalUrl, $"{id}'s README links to the repository");
            }

            var snupkg = Path.Combine(feed, $"{id}.{_version}.snupkg");
            File.Exists(snupkg).Should().BeTrue($"{id} has a symbols package");
            using (var symbols = ZipFile.OpenRead(snupkg))
            {
                var pdb = symbols.GetEntry($"lib/net10.0/{id}.pdb");
                pdb.Should().NotBeNull($"{id}'s symbols package holds its PDB");
                var (sourceLink, documents) = ReadPdb(pdb!);
                var rawRoot = canonicalUrl.Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal);
                sourceLink.Should().Contain($"\"/_/*\":\"{rawRoot}/{commit}/*\"", $"{id}'s PDB maps its sources to the commit under the canonical URL");
                documents.Should().NotBeEmpty().And.OnlyContain(d => d.StartsWith("/_/", StringComparison.Ordinal), $"{id}'s PDB carries no local path");
                documents.Should().NotContain(d => d.Contains(_work, StringComparison.Ordinal));
            }
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

        var run = await SourceTree.RunAsync("dotnet", consumer, "run", "--project", Path.Combine(consumer, "Consumer.csproj"), "--nologo");

        run.Code.Should().Be(0, run.Output);
        run.Output.Should().Contain("Activating group failover1 on node2 succeeded").And.Contain("routes moved to node2: True");
        var assets = await File.ReadAllTextAsync(Path.Combine(consumer, "obj", "project.assets.json"));
        assets.Should().Contain($"\"ClusterPro.Aws/{_version}\"").And.Contain("\"type\": \"package\"").And.NotContain("\"type\": \"project\"");
    }

    private static XElement Metadata(ZipArchive package)
    {
        using var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return Element(XDocument.Load(nuspec).Root!, "metadata");
    }

    private static XElement Element(XElement parent, string name) => parent.Elements().Single(e => e.Name.LocalName == name);

    /// <summary>The one URL Directory.Build.props declares for the repository.</summary>
    private static string CanonicalRepositoryUrl(string root) =>
        XDocument.Load(Path.Combine(root, "Directory.Build.props")).Descendants().Single(e => e.Name.LocalName == "ClusterProRepositoryUrl").Value.Trim();

    /// <summary>The PDB's SourceLink JSON and its document paths.</summary>
    private static (string SourceLink, IReadOnlyList<string> Documents) ReadPdb(ZipArchiveEntry entry)
    {
        var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        using var copy = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(copy);
        var reader = provider.GetMetadataReader();
        var sourceLink = reader.CustomDebugInformation
            .Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == sourceLinkKind)
            .Select(info => Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value)))
            .SingleOrDefault() ?? "";
        var documents = reader.Documents.Select(h => reader.GetString(reader.GetDocument(h).Name)).ToList();
        return (sourceLink, documents);
    }
}
