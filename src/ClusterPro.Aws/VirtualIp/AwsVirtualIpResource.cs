using System.Collections.Concurrent;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Internal;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.VirtualIp;

/// <summary>
/// The AWS Virtual IP resource. Activation: check the VIP is outside every VPC CIDR (53), find every route
/// table holding <c>{vip}/32</c> with one DescribeRouteTables, replace the routes that point elsewhere
/// concurrently (bounded), then add the VIP to the OS interface. A partial failure reports exactly which
/// tables point where. Deactivation removes the VIP from the OS interface; routes stay for the next owner.
/// </summary>
internal sealed class AwsVirtualIpResource(
    string name,
    AwsVirtualIpOptions options,
    IAmazonEC2 ec2,
    IHostAddressManagerProvider hosts,
    TimeProvider time,
    ILogger<AwsVirtualIpResource> logger) : IGroupResource
{
    public string Name { get; } = name;

    internal IPAddress Vip => IPAddress.Parse(options.Ip!.Split('/')[0]);

    internal string Destination => $"{Vip}/32";

    public ResourceResult CreateTimeoutResult(TimeSpan timeout) =>
        ResourceResult.Failure(AwsResultCodes.VipTimeout, AwsResultCodes.CommandNotCompleted(timeout.TotalSeconds));

    public async Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var vpcId = options.VpcId.ResolveRequired(context.NodeName, "VpcId");
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        var iface = options.InterfaceName.ResolveRequired(context.NodeName, "InterfaceName");
        var changes = new List<string>();
        try
        {
            var vpcs = await Call(ct => ec2.DescribeVpcsAsync(new DescribeVpcsRequest { VpcIds = [vpcId] }, ct), cancellationToken).ConfigureAwait(false);
            var vpc = vpcs.Vpcs?.FirstOrDefault();
            if (vpc is null)
            {
                return ResourceResult.Failure(AwsResultCodes.ApiFailed, $"The vpc ID '{vpcId}' does not exist");
            }

            var cidrs = (vpc.CidrBlockAssociationSet ?? [])
                .Where(a => a.CidrBlockState?.State?.Value is null or "associated" or "associating")
                .Select(a => a.CidrBlock)
                .Append(vpc.CidrBlock)
                .Where(c => c is not null)
                .Distinct(StringComparer.Ordinal);
            if (cidrs.Any(c => IPNetwork.TryParse(c, out var n) && n.Contains(Vip)))
            {
                return ResourceResult.Failure(AwsResultCodes.VipInVpcCidr, AwsResultCodes.VipBelongsToSubnet(Vip.ToString()));
            }

            var tables = await RouteTables.FindAsync(ec2, vpcId, Destination, Call, cancellationToken).ConfigureAwait(false);
            if (tables.Count == 0)
            {
                return ResourceResult.Failure(
                    AwsResultCodes.ApiFailed,
                    $"No route table of {vpcId} has a route for {Destination}; create one (CreateRoute to {eniId}) in every route table whose subnets must reach the VIP.");
            }

            var failure = await ReplaceRoutesAsync(tables, eniId, changes, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return failure;
            }

            try
            {
                if (await hosts.ForNode(context.NodeName).AddAsync(iface, Vip, 32, cancellationToken).ConfigureAwait(false))
                {
                    changes.Add($"{iface}: added {Destination}");
                    Log.HostAddressChanged(logger, Name, $"{iface}: added {Destination}");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return ResourceResult.Failure(AwsResultCodes.ApiFailed, $"The routes point at {eniId}, but adding {Destination} to interface {iface} failed: {ex.Message}", changes);
            }

            return changes.Count == 0 ? ResourceResult.Unchanged() : ResourceResult.Success(changes);
        }
        catch (AwsCallException ex)
        {
            return Failed(ex, changes);
        }
    }

    public async Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var iface = options.InterfaceName.ResolveRequired(context.NodeName, "InterfaceName");
        try
        {
            if (await hosts.ForNode(context.NodeName).RemoveAsync(iface, Vip, 32, cancellationToken).ConfigureAwait(false))
            {
                Log.HostAddressChanged(logger, Name, $"{iface}: removed {Destination}");
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
            .Select(t => (Table: t.RouteTableId, Current: t.Routes?.FirstOrDefault(r => r.DestinationCidrBlock == Destination)?.NetworkInterfaceId ?? "(none)"))
            .Where(t => t.Current != eniId)
            .ToList();
        var failures = new ConcurrentDictionary<string, (string Current, AwsCallException Error)>(StringComparer.Ordinal);
        var done = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrentRouteUpdates, CancellationToken = cancellationToken },
            async (t, ct) =>
            {
                try
                {
                    await Call(c => ec2.ReplaceRouteAsync(new ReplaceRouteRequest { RouteTableId = t.Table, DestinationCidrBlock = Destination, NetworkInterfaceId = eniId }, c), ct).ConfigureAwait(false);
                    done[t.Table] = t.Current;
                    Log.RouteReplaced(logger, Name, Destination, t.Table, eniId, t.Current);
                }
                catch (AwsCallException ex)
                {
                    failures[t.Table] = (t.Current, ex);
                    Log.RouteReplaceFailed(logger, Name, Destination, t.Table, ex.Message);
                }
            }).ConfigureAwait(false);

        foreach (var t in pending.Where(p => done.ContainsKey(p.Table)))
        {
            changes.Add($"{t.Table}: {Destination} {t.Current} -> {eniId}");
        }

        if (failures.IsEmpty)
        {
            return null;
        }

        var ordered = pending.Where(p => failures.ContainsKey(p.Table)).Select(p => (p.Table, failures[p.Table].Current, failures[p.Table].Error)).ToList();
        var atTarget = tables.Select(t => t.RouteTableId).Where(id => !failures.ContainsKey(id)).ToList();
        var first = ordered[0].Error;
        var summary = $"Route {Destination} now points at {eniId} in: {(atTarget.Count == 0 ? "none" : string.Join(", ", atTarget))}; " +
                      $"still elsewhere in: {string.Join(", ", ordered.Select(f => $"{f.Table} ({f.Current})"))}.";
        var timedOut = ordered.Any(f => f.Error.Kind == AwsFailureKind.Timeout);
        var message = timedOut
            ? $"{AwsResultCodes.CommandNotCompleted(options.AwsCallTimeout.TotalSeconds)} {summary}"
            : $"{first.Message} {summary}";
        return ResourceResult.Failure(timedOut ? AwsResultCodes.VipTimeout : AwsResultCodes.ApiFailed, message, changes);
    }

    private ResourceResult Failed(AwsCallException ex, IReadOnlyList<string> changes) =>
        ex.ToResourceResult(AwsResultCodes.VipTimeout, AwsResultCodes.CommandNotCompleted(options.AwsCallTimeout.TotalSeconds), changes);

    private Task<T> Call<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(call, options.AwsCallTimeout, time, cancellationToken);
}

/// <summary>Finds every route table of a VPC holding a destination, with one (paged) DescribeRouteTables.</summary>
internal static class RouteTables
{
    public static async Task<IReadOnlyList<RouteTable>> FindAsync(
        IAmazonEC2 ec2,
        string vpcId,
        string destination,
        Func<Func<CancellationToken, Task<DescribeRouteTablesResponse>>, CancellationToken, Task<DescribeRouteTablesResponse>> call,
        CancellationToken cancellationToken)
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
            var page = await call(ct => ec2.DescribeRouteTablesAsync(request, ct), cancellationToken).ConfigureAwait(false);
            result.AddRange(page.RouteTables ?? []);
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token));

        return result;
    }
}
