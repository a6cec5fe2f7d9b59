using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Internal;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.AvailabilityZone;

/// <summary>
/// DescribeAvailabilityZones for the node's zone: <c>available</c> is normal; <c>information</c>, <c>impaired</c> or
/// <c>constrained</c> is warning 105; <c>unavailable</c> is error 5; an unknown zone is error 5
/// "Invalid availability zone: [az]"; no answer follows the "AWS API gives no answer" action (5/105, timeout 6/106).
/// </summary>
internal sealed class AwsAzMonitor(string name, AwsAzMonitorOptions options, IAmazonEC2 ec2, TimeProvider time, ILogger<AwsAzMonitor> logger) : IMonitorResource
{
    private readonly AwsCall _aws = new(options.AwsCallTimeout, time);

    public string Name { get; } = name;

    public MonitorResult CreateTimeoutResult(TimeSpan timeout) => MonitorResult.Error(AwsResultCodes.AzTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        var zone = options.AvailabilityZone.ResolveRequired(context.NodeName, "AvailabilityZone");
        try
        {
            var response = await _aws.RunAsync(
                ct => ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest { ZoneNames = [zone] }, ct),
                cancellationToken).ConfigureAwait(false);
            var found = response.AvailabilityZones?.FirstOrDefault(z => z.ZoneName == zone);
            if (found is null)
            {
                return MonitorResult.Error(AwsResultCodes.AzFailed, AwsResultCodes.InvalidAvailabilityZone(zone));
            }

            var state = found.State?.Value ?? "unknown";
            return state switch
            {
                "available" => MonitorResult.Normal(),
                "unavailable" => MonitorResult.Error(AwsResultCodes.AzFailed, $"Availability zone [{zone}] is unavailable."),
                _ => MonitorResult.Warning(AwsResultCodes.AzFailed, $"Availability zone [{zone}] is {state}."),
            };
        }
        catch (AwsCallException ex) when (ex.ErrorCode == "InvalidParameterValue")
        {
            return MonitorResult.Error(AwsResultCodes.AzFailed, AwsResultCodes.InvalidAvailabilityZone(zone));
        }
        catch (AwsCallException ex)
        {
            return MonitorFailures.From(ex, options.MonitorApiFailureAction, AwsResultCodes.AzFailed, AwsResultCodes.AzTimeout, Name, logger);
        }
    }
}
