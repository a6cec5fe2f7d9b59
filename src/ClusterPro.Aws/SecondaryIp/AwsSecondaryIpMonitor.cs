using ClusterPro.Aws.Host;
using ClusterPro.Aws.Internal;
using ClusterPro.Monitoring;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.SecondaryIp;

/// <summary>The AWS secondary IP monitor (<c>awssipw</c>): the address is assigned to this node's ENI and on its OS interface, else 52.</summary>
internal sealed class AwsSecondaryIpMonitor(
    string name, AwsSecondaryIpResource resource, AwsSecondaryIpOptions options, IHostAddressManagerProvider hosts, ILogger<AwsSecondaryIpMonitor> logger) : IMonitorResource
{
    public string Name { get; } = name;

    public MonitorResult CreateTimeoutResult(TimeSpan timeout) => MonitorResult.Error(AwsResultCodes.MonitorTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        var iface = options.InterfaceName.ResolveRequired(context.NodeName, "InterfaceName");
        var host = hosts.ForNode(context.NodeName);
        if (host.ManagesAddresses && !(await host.ListAsync(iface, cancellationToken).ConfigureAwait(false)).Contains(resource.Address))
        {
            return MonitorResult.Error(AwsResultCodes.SecondaryIpNotAssigned, $"The secondary IP address {resource.Address} is not on interface {iface}.");
        }

        try
        {
            return await resource.IsAssignedAsync(eniId, cancellationToken).ConfigureAwait(false)
                ? MonitorResult.Normal()
                : MonitorResult.Error(AwsResultCodes.SecondaryIpNotAssigned, $"The secondary IP address {resource.Address} is not assigned to {eniId}.");
        }
        catch (AwsCallException ex)
        {
            return MonitorFailures.From(ex, options.MonitorApiFailureAction, AwsResultCodes.ApiFailed, AwsResultCodes.MonitorTimeout, Name, logger);
        }
    }
}
