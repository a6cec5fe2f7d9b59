using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Internal;

namespace ClusterPro.Aws.VirtualIp;

/// <summary>Finds every route table of a VPC holding a destination, with one (paged) DescribeRouteTables.</summary>
internal static class RouteTables
{
    public static async Task<IReadOnlyList<RouteTable>> FindAsync(IAmazonEC2 ec2, AwsCall aws, string vpcId, string destination, CancellationToken cancellationToken)
    {
        var result = new List<RouteTable>();
        string? token = null;
        do
        {
            var request = new DescribeRouteTablesRequest
            {
                Filters = [new Filter("vpc-id", [vpcId]), new Filter("route.destination-cidr-block", [destination])],
                NextToken = token,
            };
            var page = await aws.RunAsync(ct => ec2.DescribeRouteTablesAsync(request, ct), cancellationToken).ConfigureAwait(false);
            result.AddRange(page.RouteTables ?? []);
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        return result;
    }

    /// <summary>The ENI a table's route for <paramref name="destination"/> targets, or <c>(none)</c>.</summary>
    public static string TargetOf(RouteTable table, string destination) =>
        table.Routes?.FirstOrDefault(r => r.DestinationCidrBlock == destination)?.NetworkInterfaceId ?? "(none)";
}
