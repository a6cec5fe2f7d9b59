using System.Collections.Concurrent;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Internal;
using ClusterPro.Aws.Placement;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.VirtualIp;

/// <summary>
/// The AWS Virtual IP resource. Activation is two round trips: one DescribeRouteTables finds every route table
/// holding <c>{vip}/32</c>, then every route pointing elsewhere is replaced at once (up to
/// <see cref="AwsVirtualIpOptions.MaxConcurrentRouteUpdates"/> in flight), then the VIP goes on the OS interface. The
/// VIP-outside-the-VPC check (53) runs beside the DescribeRouteTables until it has passed once (see
/// <see cref="VpcCidrCheck"/>). A partial failure reports exactly which tables point where. Deactivation removes the
/// VIP from the OS interface; routes stay for the next owner.
/// </summary>
internal sealed class AwsVirtualIpResource : IGroupResource, IAwsResourcePlacement
{
    private readonly AwsVirtualIpOptions _options;
    private readonly IAmazonEC2 _ec2;
    private readonly AwsCall _aws;
    private readonly IHostAddressManagerProvider _hosts;
    private readonly ILogger _logger;

    public AwsVirtualIpResource(string name, AwsVirtualIpOptions options, IAmazonEC2 ec2, IHostAddressManagerProvider hosts, TimeProvider time, ILogger<AwsVirtualIpResource> logger)
    {
        Name = name;
        _options = options;
        _ec2 = ec2;
        _aws = new AwsCall(options.AwsCallTimeout, time);
        _hosts = hosts;
        _logger = logger;
        Vip = IPAddress.Parse(options.Ip!.Split('/')[0]);
        Cidr = new VpcCidrCheck(name, Vip, ec2, _aws, logger);
    }

    public string Name { get; }

    internal IPAddress Vip { get; }

    internal string Destination => $"{Vip}/32";

    /// <summary>The VIP-outside-the-VPC check, shared with the monitor.</summary>
    internal VpcCidrCheck Cidr { get; }

    internal AwsCall Aws => _aws;

    /// <summary>Every route table of the nodes' VPCs holding the VIP (one paged DescribeRouteTables per VPC), and the node each one's ENI belongs to.</summary>
    public async Task<AwsResourcePlacement> ReadPlacementAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var targets = new List<AwsPlacementTarget>();
        try
        {
            foreach (var vpcId in nodes.Select(n => _options.VpcId.Resolve(n)).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                foreach (var table in await RouteTables.FindAsync(_ec2, _aws, vpcId, Destination, cancellationToken, _options.RouteTableIds).ConfigureAwait(false))
                {
                    var eni = RouteTables.TargetOf(table, Destination);
                    var target = eni == "(none)" ? null : eni;
                    targets.Add(new AwsPlacementTarget(table.RouteTableId, target, PlacementReading.NodeOf(nodes, _options.EniId.Resolve, target)));
                }
            }
        }
        catch (AwsCallException ex)
        {
            return PlacementReading.Unknown(Name, "awsvip", $"DescribeRouteTables: {ex.Message}");
        }

        return PlacementReading.From(Name, "awsvip", targets);
    }

    public ResourceResult CreateTimeoutResult(TimeSpan timeout) =>
        ResourceResult.Failure(AwsResultCodes.VipTimeout, AwsResultCodes.CommandNotCompleted(timeout.TotalSeconds));

    public async Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var vpcId = _options.VpcId.ResolveRequired(context.NodeName, "VpcId");
        var eniId = _options.EniId.ResolveRequired(context.NodeName, "EniId");
        var iface = _options.InterfaceName.ResolveRequired(context.NodeName, "InterfaceName");
        var changes = new List<string>();
        try
        {
            // Round trip 1: the route tables, and (until it has passed once) the CIDR check beside them.
            var cidr = Cidr.IsKnownOutside(vpcId) ? Task.FromResult<(int Code, string Message)?>(null) : Cidr.CheckAsync(vpcId, cancellationToken);
            var find = RouteTables.FindAsync(_ec2, _aws, vpcId, Destination, cancellationToken, _options.RouteTableIds);
            try
            {
                await Task.WhenAll(cidr, find).ConfigureAwait(false);
            }
            catch (Exception) when (cidr.IsCompletedSuccessfully && cidr.Result is not null)
            {
                // The CIDR verdict explains the failure better than the other call's error.
            }

            if (await cidr.ConfigureAwait(false) is { } bad)
            {
                return ResourceResult.Failure(bad.Code, bad.Message);
            }

            var tables = await find.ConfigureAwait(false);
            if (RouteTables.Missing(_options.RouteTableIds, tables) is { Count: > 0 } missing)
            {
                return ResourceResult.Failure(
                    AwsResultCodes.ApiFailed,
                    $"Route table{(missing.Count == 1 ? string.Empty : "s")} {string.Join(", ", missing)} of {vpcId} {(missing.Count == 1 ? "has" : "have")} no route for {Destination} (or {(missing.Count == 1 ? "does" : "do")} not exist); nothing was changed. Create the route (CreateRoute to {eniId}) or remove the table from RouteTableIds.");
            }

            if (tables.Count == 0)
            {
                return ResourceResult.Failure(
                    AwsResultCodes.ApiFailed,
                    $"No route table of {vpcId} has a route for {Destination}; create one (CreateRoute to {eniId}) in every route table whose subnets must reach the VIP.");
            }

            // Round trip 2: every ReplaceRoute at once.
            var failure = await ReplaceRoutesAsync(tables, eniId, changes, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }
        }
        catch (AwsCallException ex)
        {
            return ex.ToResourceResult(AwsResultCodes.VipTimeout, AwsResultCodes.CommandNotCompleted(_options.AwsCallTimeout.TotalSeconds), changes);
        }

        try
        {
            if (await _hosts.ForNode(context.NodeName).AddAsync(iface, Vip, 32, cancellationToken).ConfigureAwait(false))
            {
                changes.Add($"{iface}: added {Destination}");
                Log.HostAddressChanged(_logger, Name, $"{iface}: added {Destination}");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ResourceResult.Failure(AwsResultCodes.ApiFailed, $"The routes point at {eniId}, but adding {Destination} to interface {iface} failed: {ex.Message}", changes);
        }

        return changes.Count == 0 ? ResourceResult.Unchanged() : ResourceResult.Success(changes);
    }

    public async Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var iface = _options.InterfaceName.ResolveRequired(context.NodeName, "InterfaceName");
        try
        {
            if (await _hosts.ForNode(context.NodeName).RemoveAsync(iface, Vip, 32, cancellationToken).ConfigureAwait(false))
            {
                Log.HostAddressChanged(_logger, Name, $"{iface}: removed {Destination}");
                return ResourceResult.Success([$"{iface}: removed {Destination}"]);
            }

            return ResourceResult.Unchanged();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ResourceResult.Failure(AwsResultCodes.ApiFailed, $"Removing {Destination} from interface {iface} failed: {ex.Message}");
        }
    }

    private async Task<ResourceResult?> ReplaceRoutesAsync(IReadOnlyList<RouteTable> tables, string eniId, List<string> changes, CancellationToken cancellationToken)
    {
        var pending = tables
            .Select(t => (Table: t.RouteTableId, Current: RouteTables.TargetOf(t, Destination)))
            .Where(t => t.Current != eniId)
            .ToList();
        var failures = new ConcurrentDictionary<string, AwsCallException>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRouteUpdates, CancellationToken = cancellationToken },
            async (t, ct) =>
            {
                try
                {
                    await _aws.RunAsync(c => _ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = t.Table, DestinationCidrBlock = Destination, NetworkInterfaceId = eniId }, c), ct).ConfigureAwait(false);
                    Log.RouteReplaced(_logger, Name, Destination, t.Table, eniId, t.Current);
                }
                catch (AwsCallException ex)
                {
                    failures[t.Table] = ex;
                    Log.RouteReplaceFailed(_logger, Name, Destination, t.Table, ex.Message);
                }
            }).ConfigureAwait(false);

        changes.AddRange(pending.Where(p => !failures.ContainsKey(p.Table)).Select(p => $"{p.Table}: {Destination} {p.Current} -> {eniId}"));
        if (failures.IsEmpty)
        {
            return null;
        }

        // Nothing half-applied silently: every table is named, with where its route points (or may point).
        var atTarget = tables.Select(t => t.RouteTableId).Where(id => !failures.ContainsKey(id)).ToList();
        var refused = pending.Where(p => failures.TryGetValue(p.Table, out var e) && e.Kind == AwsFailureKind.Definite).ToList();
        var unknown = pending.Where(p => failures.TryGetValue(p.Table, out var e) && e.Kind != AwsFailureKind.Definite).ToList();
        var summary = $"Route {Destination} now points at {eniId} in: {(atTarget.Count == 0 ? "none" : string.Join(", ", atTarget))}";
        if (refused.Count > 0)
        {
            summary += $"; still elsewhere in: {string.Join(", ", refused.Select(f => $"{f.Table} ({f.Current})"))}";
        }

        if (unknown.Count > 0)
        {
            summary += $"; unconfirmed (no answer, may have moved) in: {string.Join(", ", unknown.Select(f => $"{f.Table} (was {f.Current})"))}";
        }

        var first = failures[pending.First(p => failures.ContainsKey(p.Table)).Table];
        var timedOut = failures.Values.Any(e => e.Kind == AwsFailureKind.Timeout);
        var message = timedOut
            ? $"{AwsResultCodes.CommandNotCompleted(_options.AwsCallTimeout.TotalSeconds)} {summary}."
            : $"{first.Message} {summary}.";
        return ResourceResult.Failure(timedOut ? AwsResultCodes.VipTimeout : AwsResultCodes.ApiFailed, message, changes);
    }
}
