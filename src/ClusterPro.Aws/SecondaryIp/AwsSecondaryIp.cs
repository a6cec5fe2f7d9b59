using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Internal;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.SecondaryIp;

/// <summary>
/// The AWS secondary IP resource (<c>awssip</c>, CLUSTERPRO X 5.0; Pacemaker <c>awsvip</c>): a secondary private IP
/// assigned to the active node's ENI (reassignment allowed) and added to its OS interface. For nodes in one subnet.
/// </summary>
public sealed class AwsSecondaryIpOptions : AwsResourceOptions
{
    /// <summary>The secondary private IP (inside the ENIs' subnet), common to all nodes.</summary>
    public string? Ip { get; set; }

    /// <summary>The ENI (<c>eni-…</c>) to assign it to when a node is active; required for every node.</summary>
    public PerNode<string> EniId { get; set; } = new();

    /// <summary>The OS interface the address is added to. <value>Default: <c>eth0</c>.</value></summary>
    public PerNode<string> InterfaceName { get; set; } = new("eth0");

    /// <summary>The prefix length used on the OS interface (the subnet's). <value>Default: 24.</value></summary>
    public int PrefixLength { get; set; } = 24;
}

internal sealed class AwsSecondaryIpResource(
    string name, AwsSecondaryIpOptions options, IAmazonEC2 ec2, IHostAddressManagerProvider hosts, TimeProvider time, ILogger<AwsSecondaryIpResource> logger) : IGroupResource
{
    public string Name { get; } = name;

    internal IPAddress Address => IPAddress.Parse(options.Ip!.Split('/')[0]);

    public ResourceResult CreateTimeoutResult(TimeSpan timeout) => ResourceResult.Failure(AwsResultCodes.EipTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        var iface = options.InterfaceName.ResolveRequired(context.NodeName, "InterfaceName");
        var changes = new List<string>();
        try
        {
            if (!await IsAssignedAsync(eniId, cancellationToken).ConfigureAwait(false))
            {
                await Call(ct => ec2.AssignPrivateIpAddressesAsync(new AssignPrivateIpAddressesRequest { NetworkInterfaceId = eniId, PrivateIpAddresses = [Address.ToString()], AllowReassignment = true }, ct), cancellationToken).ConfigureAwait(false);
                changes.Add($"{eniId}: assigned {Address}");
            }
        }
        catch (AwsCallException ex)
        {
            return ex.ToResourceResult(AwsResultCodes.EipTimeout, AwsResultCodes.TimeoutOccurred, changes);
        }

        try
        {
            if (await hosts.ForNode(context.NodeName).AddAsync(iface, Address, options.PrefixLength, cancellationToken).ConfigureAwait(false))
            {
                changes.Add($"{iface}: added {Address}/{options.PrefixLength}");
                Log.HostAddressChanged(logger, Name, changes[^1]);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ResourceResult.Failure(AwsResultCodes.ApiFailed, $"{Address} is assigned to {eniId}, but adding it to interface {iface} failed: {ex.Message}", changes);
        }

        return changes.Count == 0 ? ResourceResult.Unchanged() : ResourceResult.Success(changes);
    }

    public async Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        var iface = options.InterfaceName.ResolveRequired(context.NodeName, "InterfaceName");
        var changes = new List<string>();
        try
        {
            if (await hosts.ForNode(context.NodeName).RemoveAsync(iface, Address, options.PrefixLength, cancellationToken).ConfigureAwait(false))
            {
                changes.Add($"{iface}: removed {Address}/{options.PrefixLength}");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ResourceResult.Failure(AwsResultCodes.ApiFailed, $"Removing {Address} from interface {iface} failed: {ex.Message}");
        }

        try
        {
            if (await IsAssignedAsync(eniId, cancellationToken).ConfigureAwait(false))
            {
                await Call(ct => ec2.UnassignPrivateIpAddressesAsync(new UnassignPrivateIpAddressesRequest { NetworkInterfaceId = eniId, PrivateIpAddresses = [Address.ToString()] }, ct), cancellationToken).ConfigureAwait(false);
                changes.Add($"{eniId}: unassigned {Address}");
            }
        }
        catch (AwsCallException ex)
        {
            return ex.ToResourceResult(AwsResultCodes.EipTimeout, AwsResultCodes.TimeoutOccurred, changes);
        }

        return changes.Count == 0 ? ResourceResult.Unchanged() : ResourceResult.Success(changes);
    }

    internal async Task<bool> IsAssignedAsync(string eniId, CancellationToken cancellationToken)
    {
        var response = await Call(ct => ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [eniId] }, ct), cancellationToken).ConfigureAwait(false);
        var eni = response.NetworkInterfaces?.FirstOrDefault()
            ?? throw new AwsCallException(AwsFailureKind.Definite, "InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{eniId}' does not exist", null);
        return (eni.PrivateIpAddresses ?? []).Any(p => p.PrivateIpAddress == Address.ToString() && p.Primary != true);
    }

    private Task<T> Call<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(call, options.AwsCallTimeout, time, cancellationToken);
}

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
