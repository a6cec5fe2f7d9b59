using ClusterPro.Aws.Testing.Regions;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Regions and availability zones.</summary>
internal static partial class Ec2Handler
{
    /// <summary>The regions of the caller's partition (every one enabled: the emulator serves them all).</summary>
    private static IEnumerable<object?> DescribeRegions(QueryParams p, Ec2Region r)
    {
        var partition = AwsRegions.InPartition(r.Name).ToList();
        var names = p.List("RegionName");
        if (names.FirstOrDefault(n => !partition.Contains(n)) is { } unknown)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Invalid region names: [{unknown}]");
        }

        p.Bool("AllRegions");
        var regions = names.Count > 0 ? names : partition;
        var filtered = Query.Filter(regions, p, (name, filter) => filter switch
        {
            "region-name" => [name],
            "endpoint" => [AwsRegions.Ec2Endpoint(name)],
            "opt-in-status" => [AwsRegions.OptInStatus(name)],
            _ => null,
        });
        return [E("regionInfo", filtered.Select(name => Item(
            E("regionName", name),
            E("regionEndpoint", AwsRegions.Ec2Endpoint(name)),
            E("optInStatus", AwsRegions.OptInStatus(name)))))];
    }

    private static IEnumerable<object?> DescribeAvailabilityZones(QueryParams p, Ec2Region r)
    {
        var names = p.List("ZoneName");
        var zones = names.Count > 0 ? names.Select(r.Zone) : r.Zones;
        var ids = p.List("ZoneId");
        if (ids.Count > 0)
        {
            zones = ids.Select(id => r.Zones.FirstOrDefault(z => z.ZoneId == id) ?? throw new AwsErrorException("InvalidParameterValue", $"Invalid availability zone: [{id}]"));
        }

        p.Bool("AllAvailabilityZones");
        var filtered = Query.Filter(zones, p, (z, name) => name switch
        {
            "zone-name" => [z.Name],
            "zone-id" => [z.ZoneId],
            "state" => [z.State],
            "region-name" => [r.Name],
            "zone-type" => ["availability-zone"],
            "group-name" or "network-border-group" => [r.Name],
            "opt-in-status" => ["opt-in-not-required"],
            _ => null,
        });
        return [E("availabilityZoneInfo", filtered.Select(z => Item(
            E("zoneName", z.Name),
            E("zoneState", z.State),
            E("regionName", r.Name),
            E("zoneId", z.ZoneId),
            E("zoneType", "availability-zone"),
            E("optInStatus", "opt-in-not-required"),
            E("groupName", r.Name),
            E("networkBorderGroup", r.Name),
            E("messageSet"))))];
    }
}
