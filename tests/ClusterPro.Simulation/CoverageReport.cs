using System.Globalization;
using System.Xml.Linq;

namespace ClusterPro.Simulation;

/// <summary>
/// Prints which lines and branches of the failover core a run reached, from a cobertura report (coverlet's, written by
/// <c>eng/sim-coverage.sh</c>): per file, then every line no history reached and every branch not taken every way.
/// </summary>
internal static class CoverageReport
{
    private const string CoreFolder = "Failover/Core/";

    public static int Print(TextWriter output, string path)
    {
        var doc = XDocument.Load(path);
        var roots = doc.Descendants("source").Select(s => s.Value.Trim()).ToList();
        var lines = new SortedDictionary<string, SortedDictionary<int, (long Hits, int Covered, int Branches)>>(StringComparer.Ordinal);
        var full = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cls in doc.Descendants("class"))
        {
            var relative = (string?)cls.Attribute("filename") ?? string.Empty;
            var file = (Path.IsPathRooted(relative) ? relative : roots.Select(r => Path.Combine(r, relative)).FirstOrDefault(File.Exists) ?? Path.Combine(roots.FirstOrDefault() ?? string.Empty, relative)).Replace('\\', '/');
            var at = file.IndexOf(CoreFolder, StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var name = file[(at + CoreFolder.Length)..];
            full[name] = file;
            if (!lines.TryGetValue(name, out var byLine))
            {
                lines[name] = byLine = [];
            }

            foreach (var line in cls.Element("lines")?.Elements("line") ?? [])
            {
                var number = (int)line.Attribute("number")!;
                var hits = (long)line.Attribute("hits")!;
                var (covered, branches) = Condition((string?)line.Attribute("condition-coverage"));
                byLine[number] = byLine.TryGetValue(number, out var seen)
                    ? (seen.Hits + hits, Math.Max(seen.Covered, covered), Math.Max(seen.Branches, branches))
                    : (hits, covered, branches);
            }
        }

        if (lines.Count == 0)
        {
            output.WriteLine($"No file of {CoreFolder} in {path}.");
            return 1;
        }

        output.WriteLine($"Coverage of src/ClusterPro.Core/{CoreFolder} by the run ({path}):");
        output.WriteLine($"  {"file",-34} {"lines",16} {"branches",16}");
        long lineHit = 0, lineAll = 0, branchHit = 0, branchAll = 0;
        foreach (var (file, byLine) in lines)
        {
            var lh = byLine.Values.Count(l => l.Hits > 0);
            var bh = byLine.Values.Sum(l => l.Covered);
            var ba = byLine.Values.Sum(l => l.Branches);
            lineHit += lh;
            lineAll += byLine.Count;
            branchHit += bh;
            branchAll += ba;
            output.WriteLine($"  {file,-34} {Share(lh, byLine.Count),16} {Share(bh, ba),16}");
        }

        output.WriteLine($"  {"total",-34} {Share(lineHit, lineAll),16} {Share(branchHit, branchAll),16}");
        output.WriteLine("Not reached (line, or branch outcomes taken / all):");
        foreach (var (file, byLine) in lines)
        {
            var source = File.Exists(full[file]) ? File.ReadAllLines(full[file]) : [];
            foreach (var (number, l) in byLine)
            {
                if (l.Hits == 0 || l.Covered < l.Branches)
                {
                    var text = number <= source.Length ? source[number - 1].Trim() : string.Empty;
                    var what = l.Hits == 0 ? "line" : $"{l.Covered}/{l.Branches}";
                    output.WriteLine($"  {file}:{number} [{what}] {text}");
                }
            }
        }

        return 0;
    }

    private static (int Covered, int Branches) Condition(string? text)
    {
        // "50% (1/2)"
        var open = text?.IndexOf('(', StringComparison.Ordinal) ?? -1;
        if (text is null || open < 0)
        {
            return (0, 0);
        }

        var parts = text[(open + 1)..].TrimEnd(')').Split('/');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    private static string Share(long hit, long all) =>
        all == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{hit}/{all} {100.0 * hit / all:0.0}%");
}
