namespace ClusterPro.Simulation;

/// <summary>Prints violations with the command that replays them.</summary>
internal static class Report
{
    public static void Violations(TextWriter output, HistoryResult result, string replay)
    {
        foreach (var v in result.Violations)
        {
            output.WriteLine($"VIOLATION seed {result.Seed}: {v}");
        }

        if (result.Violations.Count > 0)
        {
            output.WriteLine($"  replay: dotnet run -c Release --project tests/ClusterPro.Simulation -- {replay}");
        }
    }

    public static string Tail(string timeline, int lines)
    {
        var all = timeline.Split('\n');
        return all.Length <= lines ? timeline : string.Join('\n', ["(first line: the cluster)", all[0], "...", .. all[^lines..]]);
    }
}
