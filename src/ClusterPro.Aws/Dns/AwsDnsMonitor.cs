using System.Net;
using ClusterPro.Aws.Internal;
using ClusterPro.Monitoring;
using DnsClient;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Dns;

/// <summary>
/// The AWS DNS monitor (<c>awsdnsw</c>): the record set exists (52) and holds the configured IP (53); when name
/// resolution is checked, the name resolves (54) to that IP (55). AWS no-answer follows the action (timeout 51 / 151).
/// Queries go through DnsClient with its cache off, so the monitor sees what a new client would.
/// </summary>
internal sealed class AwsDnsMonitor(string name, AwsDnsResource resource, AwsDnsOptions options, ILogger<AwsDnsMonitor> logger) : IMonitorResource
{
    public string Name { get; } = name;

    public MonitorResult CreateTimeoutResult(TimeSpan timeout) => MonitorResult.Error(AwsResultCodes.MonitorTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<MonitorResult> CheckAsync(MonitorContext context, CancellationToken cancellationToken = default)
    {
        var ip = options.Ip.ResolveRequired(context.NodeName, "Ip");
        try
        {
            var set = await resource.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (set is null)
            {
                return MonitorResult.Error(AwsResultCodes.DnsRecordMissing, "The resource record set in Amazon Route 53 does not exist.");
            }

            if (!set.ResourceRecords.Any(r => r.Value == ip))
            {
                return MonitorResult.Error(AwsResultCodes.DnsRecordWrongIp, "IP address different from the setting is registered in the resource record set of Amazon Route 53.");
            }
        }
        catch (AwsCallException ex)
        {
            return MonitorFailures.From(ex, options.MonitorApiFailureAction, AwsResultCodes.ApiFailed, AwsResultCodes.DnsTimeout, Name, logger);
        }

        if (!options.CheckNameResolution)
        {
            return MonitorResult.Normal();
        }

        var lookup = options.NameServers.Count == 0
            ? new LookupClient(new LookupClientOptions { UseCache = false, Timeout = options.ResolverTimeout, Retries = 1, ThrowDnsErrors = false })
            : new LookupClient(new LookupClientOptions(options.NameServers.Select(ParseServer).ToArray()) { UseCache = false, Timeout = options.ResolverTimeout, Retries = 1, ThrowDnsErrors = false });
        IDnsQueryResponse answer;
        try
        {
            answer = await lookup.QueryAsync(resource.RecordName, QueryType.A, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            return MonitorResult.Error(AwsResultCodes.DnsResolveFailed, $"Failed to resolve domain name. ({ex.Message})");
        }

        var addresses = answer.Answers.ARecords().Select(a => a.Address.ToString()).ToList();
        if (answer.HasError || addresses.Count == 0)
        {
            return MonitorResult.Error(AwsResultCodes.DnsResolveFailed, "Failed to resolve domain name.");
        }

        return addresses.Contains(ip)
            ? MonitorResult.Normal()
            : MonitorResult.Error(AwsResultCodes.DnsResolvedWrongIp, "IP address which is resolved domain name from the DNS resolver is different from the setting.");
    }

    private static IPEndPoint ParseServer(string server) =>
        IPEndPoint.TryParse(server, out var endpoint)
            ? endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint
            : throw new FormatException($"Name server '{server}' is not an address; use 10.0.0.2 or 127.0.0.1:5353.");
}
