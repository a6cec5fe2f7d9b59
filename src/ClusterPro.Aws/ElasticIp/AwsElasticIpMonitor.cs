using ClusterPro.Aws.Internal;
using ClusterPro.Monitoring;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.ElasticIp;

/// <summary>The AWS Elastic IP monitor (<c>awseipw</c>): the EIP is associated with this node's ENI, else 52. One DescribeAddresses.</summary>
internal sealed class AwsElasticIpMonitor(string name, AwsElasticIpResource resource, AwsElasticIpOptions options, ILogger<AwsElasticIpMonitor> logger) : IMonitorResource
{
    public string Name { get; } = name;

    public MonitorResult CreateTimeoutResult(TimeSpan timeout) => MonitorResult.Error(AwsResultCodes.MonitorTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        try
        {
            var address = await resource.DescribeAsync(cancellationToken).ConfigureAwait(false);
            return address.EniId == eniId
                ? MonitorResult.Normal()
                : MonitorResult.Error(AwsResultCodes.EipNotAssociated, AwsResultCodes.EipDoesNotExist(options.AllocationId!));
        }
        catch (AwsCallException ex)
        {
            return MonitorFailures.From(ex, options.MonitorApiFailureAction, AwsResultCodes.ApiFailed, AwsResultCodes.MonitorTimeout, Name, logger);
        }
    }
}
