using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Internal;

namespace ClusterPro.Aws.VirtualIp;

/// <summary>Finds every route table of a VPC holding a destination (or those of a given list), with one (paged) DescribeRouteTables.</summary>
internal static class RouteTables
{
    /// <summary>The route tables of <paramref name="vpcId"/> holding <paramref name="destination"/>; with <paramref name="only"/>, only those of the list.</summary>
    public static async Task<IReadOnlyList<RouteTable>> FindAsync(IAmazonEC2 ec2, AwsCall aws, string vpcId, string destination, CancellationToken cancellationToken, IList<string>? only = null)
    {
        var result = new List<RouteTable>();
        string? token = null;
        do
        {
            var filters = new List<Filter> { new("vpc-id", [vpcId]), new("route.destination-cidr-block", [destination]) };
            if (only is { Count: > 0 })
            {
                // A filter, not RouteTableIds: a table that is missing or lacks the route is left out and named by the caller.
                filters.Add(new Filter("route-table-id", [.. only]));
            }

            var request = new DescribeRouteTablesRequest { Filters = filters, NextToken = token };
            var page = await aws.RunAsync(ct => ec2.DescribeRouteTablesAsync(request, ct), cancellationToken).ConfigureAwait(false);
            result.AddRange(page.RouteTables ?? []);
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        return result;
    }

    /// <summary>The listed route tables that are not among <paramref name="found"/> (none when no list is given).</summary>
    public static IReadOnlyList<string> Missing(IList<string> only, IReadOnlyList<RouteTable> found) =>
        only.Where(id => !found.Any(t => t.RouteTableId == id)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The ENI a table's route for <paramref name="destination"/> targets, or <c>(none)</c>.</summary>
    public static string TargetOf(RouteTable table, string destination) =>
        table.Routes?.FirstOrDefault(r => r.DestinationCidrBlock == destination)?.NetworkInterfaceId ?? "(none)";
}
