namespace ClusterPro.Aws.Testing.Regions;

/// <summary>
/// AWS's regions with the availability zones a new account sees and their zone IDs. A zone ID is the region's
/// abbreviation (<c>apne1</c>, <c>use1</c>, <c>cnnw1</c>, <c>usgw1</c> …) and <c>-az</c> with a number; which
/// letter maps to which ID differs per account on AWS, here it is fixed. Regions launched since March 2019 are
/// opt-in on AWS; the emulator treats every region as enabled (<c>opted-in</c>).
/// </summary>
internal static class AwsRegions
{
    private static readonly Dictionary<string, (string Letter, int Id)[]> Zones = new(StringComparer.Ordinal)
    {
        ["us-east-1"] = [("a", 1), ("b", 2), ("c", 4), ("d", 6), ("e", 3), ("f", 5)],
        ["us-east-2"] = [("a", 1), ("b", 2), ("c", 3)],
        ["us-west-1"] = [("b", 1), ("c", 3)],
        ["us-west-2"] = [("a", 1), ("b", 2), ("c", 3), ("d", 4)],
        ["ca-central-1"] = [("a", 1), ("b", 2), ("d", 4)],
        ["ca-west-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["mx-central-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["sa-east-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["eu-west-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["eu-west-2"] = [("a", 2), ("b", 3), ("c", 1)],
        ["eu-west-3"] = [("a", 1), ("b", 2), ("c", 3)],
        ["eu-central-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["eu-central-2"] = [("a", 1), ("b", 2), ("c", 3)],
        ["eu-north-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["eu-south-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["eu-south-2"] = [("a", 1), ("b", 2), ("c", 3)],
        ["il-central-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["me-south-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["me-central-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["af-south-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["ap-east-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["ap-east-2"] = [("a", 1), ("b", 2), ("c", 3)],
        ["ap-northeast-1"] = [("a", 4), ("c", 1), ("d", 2)],
        ["ap-northeast-2"] = [("a", 1), ("b", 2), ("c", 3), ("d", 4)],
        ["ap-northeast-3"] = [("a", 3), ("b", 1), ("c", 2)],
        ["ap-south-1"] = [("a", 1), ("b", 3), ("c", 2)],
        ["ap-south-2"] = [("a", 1), ("b", 2), ("c", 3)],
        ["ap-southeast-1"] = [("a", 2), ("b", 1), ("c", 3)],
        ["ap-southeast-2"] = [("a", 1), ("b", 3), ("c", 2)],
        ["ap-southeast-3"] = [("a", 1), ("b", 2), ("c", 3)],
        ["ap-southeast-4"] = [("a", 1), ("b", 2), ("c", 3)],
        ["ap-southeast-5"] = [("a", 1), ("b", 2), ("c", 3)],
        ["ap-southeast-6"] = [("a", 1), ("b", 2), ("c", 3)],
        ["ap-southeast-7"] = [("a", 1), ("b", 2), ("c", 3)],
        ["cn-north-1"] = [("a", 1), ("b", 2)],
        ["cn-northwest-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["us-gov-west-1"] = [("a", 1), ("b", 2), ("c", 3)],
        ["us-gov-east-1"] = [("a", 1), ("b", 2), ("c", 3)],
    };

    /// <summary>The regions an account must opt in to (launched since March 2019).</summary>
    private static readonly HashSet<string> OptIn = new(StringComparer.Ordinal)
    {
        "af-south-1", "ap-east-1", "ap-east-2", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6",
        "ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
    };

    /// <summary>Every region name, for messages.</summary>
    public static IEnumerable<string> Names => Zones.Keys;

    public static bool IsKnown(string? region) => region is not null && Zones.ContainsKey(region);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the valid regions when <paramref name="region"/> is not one of AWS's.</summary>
    public static void Validate(string? region, string paramName)
    {
        if (!IsKnown(region))
        {
            throw new ArgumentException($"'{region}' is not an AWS region; use one of {string.Join(", ", Names)}.", paramName);
        }
    }

    /// <summary>The region's zones: name (region + letter) and zone ID.</summary>
    public static IEnumerable<(string Name, string ZoneId)> ZonesOf(string region)
    {
        var abbreviation = Abbreviation(region);
        return Zones[region].Select(z => (region + z.Letter, $"{abbreviation}-az{z.Id}"));
    }

    /// <summary>The partition: <c>aws</c>, <c>aws-cn</c> or <c>aws-us-gov</c>.</summary>
    public static string Partition(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn" : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";

    /// <summary>The regions of <paramref name="region"/>'s partition (DescribeRegions lists no other).</summary>
    public static IEnumerable<string> InPartition(string region) => Names.Where(n => Partition(n) == Partition(region));

    /// <summary>DescribeRegions' <c>optInStatus</c>: <c>opt-in-not-required</c>, or <c>opted-in</c> for the opt-in regions.</summary>
    public static string OptInStatus(string region) => OptIn.Contains(region) ? "opted-in" : "opt-in-not-required";

    /// <summary>The EC2 endpoint's host name, e.g. <c>ec2.eu-west-1.amazonaws.com</c> (<c>.amazonaws.com.cn</c> in China).</summary>
    public static string Ec2Endpoint(string region) => $"ec2.{region}.amazonaws.com{(Partition(region) == "aws-cn" ? ".cn" : string.Empty)}";

    /// <summary>The zone-ID abbreviation: <c>ap-northeast-1</c> → <c>apne1</c>, <c>us-gov-west-1</c> → <c>usgw1</c>, <c>cn-northwest-1</c> → <c>cnnw1</c>.</summary>
    public static string Abbreviation(string region)
    {
        var parts = region.Split('-');
        var prefix = parts[0];
        var rest = parts[1..];
        if (rest.Length == 3 && rest[0] == "gov")
        {
            prefix += "g";
            rest = rest[1..];
        }

        var direction = rest[0] switch
        {
            "northeast" => "ne",
            "southeast" => "se",
            "northwest" => "nw",
            "southwest" => "sw",
            "north" => "n",
            "south" => "s",
            "east" => "e",
            "west" => "w",
            "central" => "c",
            var other => other[..1],
        };
        return prefix + direction + rest[1];
    }
}
