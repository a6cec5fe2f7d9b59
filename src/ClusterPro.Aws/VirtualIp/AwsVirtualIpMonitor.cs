using Amazon.EC2;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Internal;
using ClusterPro.Monitoring;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.VirtualIp;

/// <summary>
/// The AWS Virtual IP monitor (<c>awsvipw</c>): the VIP is on this node's OS interface and every route for
/// <c>{vip}/32</c> targets this node's ENI (error 56 when not), and the VIP still lies outside every CIDR block of the
/// VPC (error 53, the resource's code). One DescribeRouteTables and one DescribeVpcs, sent together: one round trip.
/// </summary>
internal sealed class AwsVirtualIpMonitor(
    string name,
    AwsVirtualIpResource resource,
    AwsVirtualIpOptions options,
    IAmazonEC2 ec2,
    IHostAddressManagerProvider hosts,
    ILogger<AwsVirtualIpMonitor> logger) : IMonitorResource
{
    public string Name { get; } = name;

    public MonitorResult CreateTimeoutResult(TimeSpan timeout) => MonitorResult.Error(AwsResultCodes.MonitorTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        var vpcId = options.VpcId.ResolveRequired(context.NodeName, "VpcId");
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        var iface = options.InterfaceName.ResolveRequired(context.NodeName, "InterfaceName");
        var vip = resource.Vip;
        var host = hosts.ForNode(context.NodeName);
        if (host.ManagesAddresses && !(await host.ListAsync(iface, cancellationToken).ConfigureAwait(false)).Contains(vip))
        {
            return MonitorResult.Error(AwsResultCodes.VipRoutingChanged, $"The VIP address {vip} is not on interface {iface}.");
        }

        try
        {
            var cidr = resource.Cidr.CheckAsync(vpcId, cancellationToken);
            var find = RouteTables.FindAsync(ec2, resource.Aws, vpcId, resource.Destination, cancellationToken, options.RouteTableIds);
            try
            {
                await Task.WhenAll(cidr, find).ConfigureAwait(false);
            }
            catch (Exception) when (cidr.IsCompletedSuccessfully && cidr.Result is not null)
            {
                // The CIDR verdict is reported below.
            }

            if (await cidr.ConfigureAwait(false) is { } bad)
            {
                return MonitorResult.Error(bad.Code, bad.Message);
            }

            var tables = await find.ConfigureAwait(false);
            var wrong = tables
                .Select(t => (t.RouteTableId, Target: RouteTables.TargetOf(t, resource.Destination)))
                .Where(t => t.Target != eniId)
                .ToList();
            foreach (var (table, target) in wrong)
            {
                Log.RouteDrift(logger, Name, resource.Destination, table, target, eniId);
            }

            foreach (var table in RouteTables.Missing(options.RouteTableIds, tables))
            {
                Log.RouteDrift(logger, Name, resource.Destination, table, "(no route)", eniId);
                wrong.Add((table, "(no route)"));
            }

            return tables.Count == 0 || wrong.Count > 0
                ? MonitorResult.Error(AwsResultCodes.VipRoutingChanged, AwsResultCodes.RoutingChanged(vip.ToString()))
                : MonitorResult.Normal();
        }
        catch (AwsCallException ex)
        {
            return MonitorFailures.From(ex, options.MonitorApiFailureAction, AwsResultCodes.ApiFailed, AwsResultCodes.MonitorTimeout, Name, logger);
        }
    }
}
