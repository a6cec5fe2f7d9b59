using System.Globalization;
using ClusterPro.Aws.Internal;
using ClusterPro.Aws.Placement;
using ClusterPro.Aws.Route53;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Dns;

/// <summary>
/// Activation is one call: UPSERT <c>{name} A {ip}</c> with the TTL (optionally followed by a bounded, backing-off
/// INSYNC wait). What the record held before is taken from the last time Route 53 told this resource (a monitor read,
/// a deactivation, an earlier activation), with that read's age; when there was none the result says so instead of
/// spending a call on it. A record last seen holding exactly this value is reported as unchanged. Deactivation (when
/// <see cref="AwsDnsOptions.DeleteOnDeactivate"/>) DELETEs the set with its exact TTL and values, only when it holds
/// this node's IP: with the set this resource wrote it is one call, and when that set changed meanwhile Route 53
/// rejects the DELETE, the set is read and the DELETE retried once; a set already gone is success.
/// </summary>
internal sealed class AwsDnsResource(string name, AwsDnsOptions options, IAmazonRoute53 route53, TimeProvider time, ILogger<AwsDnsResource> logger) : IGroupResource, IAwsResourcePlacement
{
    private readonly AwsCall _aws = new(options.AwsCallTimeout, time);
    private RecordSighting? _seen;

    public string Name { get; } = name;

    internal string RecordName => RecordNames.Normalize(options.RecordName!);

    internal string ZoneId => options.HostedZoneId!.Replace("/hostedzone/", string.Empty, StringComparison.Ordinal);

    /// <summary>The addresses the A record holds (one ListResourceRecordSets, as the monitor reads it) and whose each is.</summary>
    public async Task<AwsResourcePlacement> ReadPlacementAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        try
        {
            var set = await ReadAsync(cancellationToken).ConfigureAwait(false);
            IReadOnlyList<AwsPlacementTarget> targets = set is null || set.ResourceRecords.Count == 0
                ? [new AwsPlacementTarget(RecordName, null, null)]
                : set.ResourceRecords.Select(r => new AwsPlacementTarget(RecordName, r.Value, PlacementReading.NodeOf(nodes, options.Ip.Resolve, r.Value))).ToList();
            return PlacementReading.From(Name, "awsdns", targets);
        }
        catch (AwsCallException ex)
        {
            return PlacementReading.Unknown(Name, "awsdns", $"ListResourceRecordSets: {ex.Message}");
        }
    }

    public ResourceResult CreateTimeoutResult(TimeSpan timeout) => ResourceResult.Failure(AwsResultCodes.DnsTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ip = options.Ip.ResolveRequired(context.NodeName, "Ip");
        var before = _seen;
        var changes = new List<string>();
        try
        {
            var set = new ResourceRecordSet { Name = RecordName, Type = RRType.A, TTL = options.Ttl, ResourceRecords = [new ResourceRecord(ip)] };
            var change = await _aws.RunAsync(ct => route53.ChangeResourceRecordSetsAsync(new ChangeResourceRecordSetsRequest
            {
                HostedZoneId = ZoneId,
                ChangeBatch = new ChangeBatch { Comment = $"ClusterPro {Name} on {context.NodeName}", Changes = [new Change(ChangeAction.UPSERT, set)] },
            }, ct), cancellationToken).ConfigureAwait(false);
            _seen = new RecordSighting(set, "UPSERT", time.GetTimestamp());
            if (before?.Set is { } held && held.TTL == options.Ttl && held.ResourceRecords.Count == 1 && held.ResourceRecords[0].Value == ip)
            {
                return ResourceResult.Unchanged($"{RecordName} already held {ip} (TTL {options.Ttl}) when last read ({Age(before)}); the UPSERT {change.ChangeInfo.Id} kept it.");
            }

            var from = before is null ? "(not read)" : before.Set is null ? "(none)" : string.Join(',', before.Set.ResourceRecords.Select(r => r.Value));
            changes.Add($"{RecordName} A {from} -> {ip} (TTL {options.Ttl})");
            Log.RecordChanged(logger, Name, changes[0]);
            var note = before is null ? "what the record held before was not read" : $"what it held before: {Age(before)}";
            if (!options.WaitForInsync)
            {
                return ResourceResult.Success(changes, $"Submitted {change.ChangeInfo.Id} ({change.ChangeInfo.Status.Value}); {note}.");
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
            // Our own write is a good guess of the exact set to DELETE; Route 53 rejects the DELETE if it changed since.
            var current = _seen is { Source: "UPSERT", Set: { } written } && written.ResourceRecords.Any(r => r.Value == ip) ? written : null;
            for (var attempt = 0; ; attempt++)
            {
                current ??= await ReadAsync(cancellationToken).ConfigureAwait(false);
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
                    var deleting = current;
                    await _aws.RunAsync(ct => route53.ChangeResourceRecordSetsAsync(new ChangeResourceRecordSetsRequest
                    {
                        HostedZoneId = ZoneId,
                        ChangeBatch = new ChangeBatch { Comment = $"ClusterPro {Name} off {context.NodeName}", Changes = [new Change(ChangeAction.DELETE, deleting)] },
                    }, ct), cancellationToken).ConfigureAwait(false);
                    _seen = new RecordSighting(null, "DELETE", time.GetTimestamp());
                    var deleted = $"{RecordName} A {string.Join(',', current.ResourceRecords.Select(r => r.Value))} (TTL {current.TTL}) deleted";
                    Log.RecordChanged(logger, Name, deleted);
                    return ResourceResult.Success([deleted]);
                }
                catch (AwsCallException ex) when (ex.ErrorCode == "InvalidChangeBatch" && attempt < 2)
                {
                    // Changed between what we knew and our DELETE: read it and try again.
                    current = null;
                }
            }
        }
        catch (AwsCallException ex)
        {
            return Failed(ex, []);
        }
    }

    /// <summary>Reads the record set (one ListResourceRecordSets) and remembers it.</summary>
    internal async Task<ResourceRecordSet?> ReadAsync(CancellationToken cancellationToken)
    {
        var page = await _aws.RunAsync(ct => route53.ListResourceRecordSetsAsync(new ListResourceRecordSetsRequest
        {
            HostedZoneId = ZoneId,
            StartRecordName = RecordName,
            StartRecordType = RRType.A,
            MaxItems = "1",
        }, ct), cancellationToken).ConfigureAwait(false);
        var set = page.ResourceRecordSets.FirstOrDefault(s => RecordNames.Normalize(s.Name) == RecordName && s.Type.Value == "A");
        _seen = new RecordSighting(set, "ListResourceRecordSets", time.GetTimestamp());
        return set;
    }

    private async Task<ResourceResult> WaitInsyncAsync(ChangeInfo change, List<string> changes, CancellationToken cancellationToken)
    {
        var outcome = await Poll.UntilAsync(
            (attempt, ct) => attempt == 0
                ? Task.FromResult(change.Status)
                : _aws.RunAsync(async c => (await route53.GetChangeAsync(new GetChangeRequest { Id = change.Id }, c).ConfigureAwait(false)).ChangeInfo.Status, ct),
            status => status == ChangeStatus.INSYNC,
            options.InsyncPollInterval,
            TimeSpan.FromSeconds(10),
            options.InsyncTimeout,
            time,
            cancellationToken).ConfigureAwait(false);
        return outcome.Reached
            ? ResourceResult.Success(changes, string.Create(CultureInfo.InvariantCulture, $"INSYNC after {outcome.Elapsed.TotalSeconds:0.0} s."))
            : ResourceResult.Failure(
                AwsResultCodes.DnsTimeout,
                $"{AwsResultCodes.TimeoutOccurred} The change {change.Id} was still PENDING after {options.InsyncTimeout.TotalSeconds:0} s; the record is set but not yet on every Route 53 name server.",
                changes);
    }

    private string Age(RecordSighting seen) =>
        string.Create(CultureInfo.InvariantCulture, $"{seen.Source} {time.GetElapsedTime(seen.Timestamp).TotalSeconds:0.#} s ago");

    private static ResourceResult Failed(AwsCallException ex, IReadOnlyList<string> changes)
    {
        var result = ex.ToResourceResult(AwsResultCodes.DnsTimeout, AwsResultCodes.TimeoutOccurred, changes);

        // The source words the DNS resource's generic failure "The AWS CLI command failed." (here: API).
        return result.Code == AwsResultCodes.ApiFailed
            ? result with { Message = result.Message.Replace(AwsResultCodes.ApiFailedMessage, "The AWS API call failed.", StringComparison.Ordinal) }
            : result;
    }
}
