using System.Text;
using System.Text.RegularExpressions;

namespace ClusterPro.Samples.Quickstart.Tests;

/// <summary>
/// The README's code comes from compiled files, as the .NET docs keep theirs: a block that follows
/// <c>&lt;!-- snippet: PATH#REGION --&gt;</c> must equal the lines between <c>// &lt;REGION&gt;</c> and
/// <c>// &lt;/REGION&gt;</c> in PATH (the whole file without <c>#REGION</c>). Run with <c>UPDATE_SNIPPETS=1</c> to
/// rewrite the README's blocks from the files.
/// </summary>
public partial class ReadmeSnippetTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Snippets()
    {
        var data = new TheoryData<string>();
        foreach (var source in Sources())
        {
            data.Add(source);
        }

        return data;
    }

    private static List<string> Sources() =>
        Marker().Matches(File.ReadAllText(Path.Combine(Root, "README.md"))).Select(m => m.Groups["source"].Value).ToList();

    [Fact]
    public void Readme_HasTheQuickstartSnippets()
    {
        Sources().Should().Contain(
        [
            "samples/ClusterPro.Samples.Quickstart/Program.cs#quickstart",
            "samples/ClusterPro.Samples.Quickstart/MyService.cs#my-service",
            "samples/ClusterPro.Samples.Quickstart/appsettings.json",
            "tests/ClusterPro.Samples.Quickstart.Tests/EmulatorRecipeTests.cs#emulator-recipe",
        ]);
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void ReadmeSnippet_IsTheCompiledCode(string source)
    {
        var readmePath = Path.Combine(Root, "README.md");
        var readme = File.ReadAllText(readmePath);
        var expected = Extract(source);
        var block = Block(source).Match(readme);
        block.Success.Should().BeTrue($"the README has a fenced block right after <!-- snippet: {source} -->");

        if (Environment.GetEnvironmentVariable("UPDATE_SNIPPETS") == "1" && block.Groups["code"].Value != expected)
        {
            File.WriteAllText(readmePath, readme[..block.Groups["code"].Index] + expected + readme[(block.Groups["code"].Index + block.Groups["code"].Length)..]);
            return;
        }

        block.Groups["code"].Value.Should().Be(expected, $"README.md shows {source} as it is (UPDATE_SNIPPETS=1 rewrites it)");
    }

    /// <summary>The region's lines (or the whole file), without the markers, ending in a newline.</summary>
    private static string Extract(string source)
    {
        var parts = source.Split('#', 2);
        var lines = File.ReadAllLines(Path.Combine(Root, parts[0]));
        if (parts.Length == 1)
        {
            return string.Join('\n', lines) + "\n";
        }

        var start = Array.FindIndex(lines, l => l.Trim() == $"// <{parts[1]}>");
        var end = Array.FindIndex(lines, l => l.Trim() == $"// </{parts[1]}>");
        (start >= 0 && end > start).Should().BeTrue($"{parts[0]} has the region {parts[1]}");
        var region = lines[(start + 1)..end].Where(l => !RegionMarker().IsMatch(l.Trim())).ToList();
        var indent = region.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var text = new StringBuilder();
        foreach (var line in region)
        {
            text.Append(line.Length >= indent ? line[indent..] : line.TrimStart()).Append('\n');
        }

        return text.ToString();
    }

    private static Regex Block(string source) =>
        new($"<!-- snippet: {Regex.Escape(source)} -->\\n```[a-z]*\\n(?<code>(?:.*\\n)*?)```", RegexOptions.CultureInvariant);

    private static string FindRoot()
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

    [GeneratedRegex("<!-- snippet: (?<source>[^ ]+) -->", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    [GeneratedRegex("^// </?[a-z-]+>$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionMarker();
}
