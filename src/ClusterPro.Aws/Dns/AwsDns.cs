using System.Globalization;
using System.Net;
using ClusterPro.Aws.Internal;
using ClusterPro.Aws.Route53;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using DnsClient;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Dns;

/// <summary>
/// The AWS DNS resource (<c>awsdns</c>): an A record <c>{name} → {ip}</c> upserted in a Route 53 hosted zone on
/// activation, deleted on deactivation (by default). Its monitor (<c>awsdnsw</c>) is added with it.
/// </summary>
public sealed class AwsDnsOptions : AwsResourceOptions
{
    /// <summary>The hosted zone ID (<c>Z…</c> or <c>/hostedzone/Z…</c>).</summary>
    public string? HostedZoneId { get; set; }

    /// <summary>The record name; any case, with or without the trailing dot (it is normalised to <c>srv.hz1.local.</c>).</summary>
    public string? RecordName { get; set; }

    /// <summary>The address the record holds: each node's own IP (per-node values), or one VIP/EIP shared by all.</summary>
    public PerNode<string> Ip { get; set; } = new();

    /// <summary>The TTL in seconds. <value>Default: 300.</value></summary>
    public long Ttl { get; set; } = 300;

    /// <summary>Delete the record set on deactivation (else the next activation only updates it, which makes resolution after failover faster). <value>Default: true.</value></summary>
    public bool DeleteOnDeactivate { get; set; } = true;

    /// <summary>Wait on activation until the change is INSYNC on every Route 53 name server. <value>Default: false.</value></summary>
    public bool WaitForInsync { get; set; }

    /// <summary>The longest wait for INSYNC (Route 53 takes up to 60 s). <value>Default: 120 s.</value></summary>
    public TimeSpan InsyncTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The first poll interval of the INSYNC wait (doubling, at most 10 s). <value>Default: 1 s.</value></summary>
    public TimeSpan InsyncPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The monitor also resolves the name and checks the answer (54 / 55). <value>Default: true.</value></summary>
    public bool CheckNameResolution { get; set; } = true;

    /// <summary>Name servers the monitor asks (<c>10.0.0.2</c> or <c>127.0.0.1:5353</c>); empty for the system's. <value>Default: empty.</value></summary>
    public IList<string> NameServers { get; } = new List<string>();

    /// <summary>Bound on one name resolution. <value>Default: 5 s.</value></summary>
    public TimeSpan ResolverTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Record name form: Route 53 names are case-insensitive and end with a dot.</summary>
public static class RecordNames
{
    /// <summary>Lower-cases a name and adds the trailing dot.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The normalised name.</returns>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var n = name.Trim().ToLowerInvariant();
        return n.EndsWith('.') ? n : n + ".";
    }

    /// <summary>Why a record name is malformed, or null when it is fine.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The problem.</returns>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is empty; set the record name, e.g. srv.hz1.local.";
        }

        var n = Normalize(name);
        if (n.Length > 254)
        {
            return $"is '{name}', longer than 253 characters; use a shorter name.";
        }

        var labels = n.TrimEnd('.').Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            var label = labels[i];
            if (label.Length == 0)
            {
                return $"is '{name}', which has an empty label (two dots in a row, or a leading dot); write it like srv.hz1.local.";
            }

            if (label.Length > 63)
            {
                return $"is '{name}', whose label '{label}' is longer than 63 characters.";
            }

            if (!(i == 0 && label == "*") && !label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return $"is '{name}', which has characters a DNS name cannot hold in '{label}'; use letters, digits and hyphens, e.g. srv.hz1.local.";
            }
        }

        return labels.Length < 2 ? $"is '{name}', a single label; use the full name inside the hosted zone, e.g. srv.hz1.local." : null;
    }
}

/// <summary>
/// Activation UPSERTs <c>{name} A {ip}</c> with the TTL unless the record already holds exactly that (no write), and
/// optionally waits for INSYNC with bounded, backing-off polling. Deactivation (when <see cref="AwsDnsOptions.DeleteOnDeactivate"/>)
/// reads the set and DELETEs it with its exact current TTL and values, only when it holds this node's IP; a set already
/// gone is success.
/// </summary>
internal sealed class AwsDnsResource(string name, AwsDnsOptions options, IAmazonRoute53 route53, TimeProvider time, ILogger<AwsDnsResource> logger) : IGroupResource
{
    public string Name { get; } = name;

    internal string RecordName => RecordNames.Normalize(options.RecordName!);

    internal string ZoneId => options.HostedZoneId!.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal);

    public ResourceResult CreateTimeoutResult(TimeSpan timeout) => ResourceResult.Failure(AwsResultCodes.DnsTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ip = options.Ip.ResolveRequired(context.NodeName, "Ip");
        var changes = new List<string>();
        try
        {
            var current = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (current is not null && current.TTL == options.Ttl && current.ResourceRecords.Count == 1 && current.ResourceRecords[0].Value == ip)
            {
                return ResourceResult.Unchanged();
            }

            var set = new ResourceRecordSet { Name = RecordName, Type = RRType.A, TTL = options.Ttl, ResourceRecords = [new ResourceRecord(ip)] };
            var change = await Call(ct => route53.ChangeResourceRecordSetsAsync(new ChangeResourceRecordSetsRequest
            {
                HostedZoneId = ZoneId,
                ChangeBatch = new ChangeBatch { Comment = $"ClusterPro {Name} on {context.NodeName}", Changes = [new Change(ChangeAction.UPSERT, set)] },
            }, ct), cancellationToken).ConfigureAwait(false);
            var before = current is null ? "(none)" : string.Join(',', current.ResourceRecords.Select(r => r.Value));
            changes.Add($"{RecordName} A {before} -> {ip} (TTL {options.Ttl})");
            Log.HostAddressChanged(logger, Name, changes[0]);
            if (!options.WaitForInsync)
            {
                return ResourceResult.Success(changes, $"Submitted {change.ChangeInfo.Id} ({change.ChangeInfo.Status.Value}).");
            }

            return await WaitInsyncAsync(change.ChangeInfo, changes, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsCallException ex)
        {
            return Failed(ex, changes);
        }
    }

    public async Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!options.DeleteOnDeactivate)
        {
            return ResourceResult.Unchanged("The record set is kept (DeleteOnDeactivate is off).");
        }

        var ip = options.Ip.ResolveRequired(context.NodeName, "Ip");
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var current = await ReadAsync(cancellationToken).ConfigureAwait(false);
                if (current is null)
                {
                    return ResourceResult.Unchanged("The record set is already gone.");
                }

                if (!current.ResourceRecords.Any(r => r.Value == ip))
                {
                    return ResourceResult.Unchanged($"The record set holds {string.Join(',', current.ResourceRecords.Select(r => r.Value))}, not this node's {ip}; left alone.");
                }

                try
                {
                    await Call(ct => route53.ChangeResourceRecordSetsAsync(new ChangeResourceRecordSetsRequest
                    {
                        HostedZoneId = ZoneId,
                        ChangeBatch = new ChangeBatch { Comment = $"ClusterPro {Name} off {context.NodeName}", Changes = [new Change(ChangeAction.DELETE, current)] },
                    }, ct), cancellationToken).ConfigureAwait(false);
                    return ResourceResult.Success([$"{RecordName} A {string.Join(',', current.ResourceRecords.Select(r => r.Value))} (TTL {current.TTL}) deleted"]);
                }
                catch (AwsCallException ex) when (ex.ErrorCode == "InvalidChangeBatch" && attempt == 0)
                {
                    // Changed between our read and our DELETE: read again and retry once.
                }
            }
        }
        catch (AwsCallException ex)
        {
            return Failed(ex, []);
        }
    }

    internal async Task<ResourceRecordSet?> ReadAsync(CancellationToken cancellationToken)
    {
        var page = await Call(ct => route53.ListResourceRecordSetsAsync(new ListResourceRecordSetsRequest
        {
            HostedZoneId = ZoneId,
            StartRecordName = RecordName,
            StartRecordType = RRType.A,
            MaxItems = "1",
        }, ct), cancellationToken).ConfigureAwait(false);
        return page.ResourceRecordSets.FirstOrDefault(s => RecordNames.Normalize(s.Name) == RecordName && s.Type.Value == "A");
    }

    private async Task<ResourceResult> WaitInsyncAsync(ChangeInfo change, List<string> changes, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var interval = options.InsyncPollInterval;
        var status = change.Status;
        while (status != ChangeStatus.INSYNC)
        {
            var left = options.InsyncTimeout - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return ResourceResult.Failure(
                    AwsResultCodes.DnsTimeout,
                    $"{AwsResultCodes.TimeoutOccurred} The change {change.Id} was still PENDING after {options.InsyncTimeout.TotalSeconds:0} s; the record is set but not yet on every Route 53 name server.",
                    changes);
            }

            await Task.Delay(interval < left ? interval : left, time, cancellationToken).ConfigureAwait(false);
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            status = (await Call(ct => route53.GetChangeAsync(new GetChangeRequest { Id = change.Id }, ct), cancellationToken).ConfigureAwait(false)).ChangeInfo.Status;
        }

        var took = time.GetElapsedTime(started);
        return ResourceResult.Success(changes, string.Create(CultureInfo.InvariantCulture, $"INSYNC after {took.TotalSeconds:0.0} s."));
    }

    private static ResourceResult Failed(AwsCallException ex, IReadOnlyList<string> changes)
    {
        var result = ex.ToResourceResult(AwsResultCodes.DnsTimeout, AwsResultCodes.TimeoutOccurred, changes);

        // The source words the DNS resource's generic failure "The AWS CLI command failed." (here: API).
        return result.Code == AwsResultCodes.ApiFailed
            ? result with { Message = result.Message.Replace(AwsResultCodes.ApiFailedMessage, "The AWS API call failed.", StringComparison.Ordinal) }
            : result;
    }

    private Task<T> Call<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(call, options.AwsCallTimeout, time, cancellationToken);
}

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
