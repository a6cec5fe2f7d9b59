using System.Collections.Concurrent;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Internal;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.VirtualIp;

/// <summary>
/// The VIP-outside-the-VPC check (code 53) with its verdict remembered per VPC. It runs with one DescribeVpcs, always
/// beside another call (the first activation's or each monitor check's DescribeRouteTables), so it never adds a round
/// trip; once a VPC is known to leave the VIP outside its CIDR blocks, later switchovers skip it. The monitor re-checks
/// on every cycle, so a CIDR block added to the VPC later is reported (53) and the next activation checks again.
/// </summary>
internal sealed class VpcCidrCheck(string resource, IPAddress vip, IAmazonEC2 ec2, AwsCall aws, ILogger logger)
{
    private readonly ConcurrentDictionary<string, bool> _outside = new(StringComparer.Ordinal);

    /// <summary>True when the last check of <paramref name="vpcId"/> found the VIP outside its CIDR blocks.</summary>
    public bool IsKnownOutside(string vpcId) => _outside.TryGetValue(vpcId, out var outside) && outside;

    /// <summary>Checks the VPC: null when the VIP lies outside every CIDR block, else the failure (53, or 50 for an unknown VPC).</summary>
    public async Task<(int Code, string Message)?> CheckAsync(string vpcId, CancellationToken cancellationToken)
    {
        var response = await aws.RunAsync(ct => ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpcId] }, ct), cancellationToken).ConfigureAwait(false);
        var vpc = response.Vpcs?.FirstOrDefault();
        if (vpc is null)
        {
            _outside.TryRemove(vpcId, out _);
            return (AwsResultCodes.ApiFailed, $"The vpc ID '{vpcId}' does not exist");
        }

        var inside = (vpc.CidrBlockAssociationSet ?? [])
            .Where(a => a.CidrBlockState?.State?.Value is null or "associated" or "associating")
            .Select(a => a.CidrBlock)
            .Append(vpc.CidrBlock)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .FirstOrDefault(c => IPNetwork.TryParse(c, out var n) && n.Contains(vip));
        _outside[vpcId] = inside is null;
        if (inside is null)
        {
            return null;
        }

        Log.VipInsideVpcCidr(logger, resource, vip.ToString(), inside, vpcId);
        return (AwsResultCodes.VipInVpcCidr, AwsResultCodes.VipBelongsToSubnet(vip.ToString()));
    }
}
