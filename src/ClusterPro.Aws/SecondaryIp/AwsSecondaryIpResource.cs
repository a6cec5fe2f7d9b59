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
/// Activation: one DescribeNetworkInterfaces, then AssignPrivateIpAddresses with reassignment when the address is not on
/// this node's ENI yet, then the OS interface. Deactivation: the OS interface, then UnassignPrivateIpAddresses when the
/// address is still on this node's ENI. Timeouts report <see cref="AwsResultCodes.SecondaryIpTimeout"/>.
/// </summary>
internal sealed class AwsSecondaryIpResource(
    string name, AwsSecondaryIpOptions options, IAmazonEC2 ec2, IHostAddressManagerProvider hosts, TimeProvider time, ILogger<AwsSecondaryIpResource> logger) : IGroupResource
{
    private readonly AwsCall _aws = new(options.AwsCallTimeout, time);

    public string Name { get; } = name;

    internal IPAddress Address => IPAddress.Parse(options.Ip!.Split('/')[0]);

    public ResourceResult CreateTimeoutResult(TimeSpan timeout) => ResourceResult.Failure(AwsResultCodes.SecondaryIpTimeout, AwsResultCodes.CommandNotCompleted(timeout.TotalSeconds));

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
                await _aws.RunAsync(ct => ec2.AssignPrivateIpAddressesAsync(new AssignPrivateIpAddressesRequest { NetworkInterfaceId = eniId, PrivateIpAddresses = [Address.ToString()], AllowReassignment = true }, ct), cancellationToken).ConfigureAwait(false);
                changes.Add($"{eniId}: assigned {Address}");
                Log.PrivateIpAssigned(logger, Name, changes[^1]);
            }
        }
        catch (AwsCallException ex)
        {
            return ex.ToResourceResult(AwsResultCodes.SecondaryIpTimeout, AwsResultCodes.CommandNotCompleted(options.AwsCallTimeout.TotalSeconds), changes);
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
                await _aws.RunAsync(ct => ec2.UnassignPrivateIpAddressesAsync(new UnassignPrivateIpAddressesRequest { NetworkInterfaceId = eniId, PrivateIpAddresses = [Address.ToString()] }, ct), cancellationToken).ConfigureAwait(false);
                changes.Add($"{eniId}: unassigned {Address}");
                Log.PrivateIpAssigned(logger, Name, changes[^1]);
            }
        }
        catch (AwsCallException ex)
        {
            return ex.ToResourceResult(AwsResultCodes.SecondaryIpTimeout, AwsResultCodes.CommandNotCompleted(options.AwsCallTimeout.TotalSeconds), changes);
        }

        return changes.Count == 0 ? ResourceResult.Unchanged() : ResourceResult.Success(changes);
    }

    internal async Task<bool> IsAssignedAsync(string eniId, CancellationToken cancellationToken)
    {
        var response = await _aws.RunAsync(ct => ec2.DescribeNetworkInterfacesAsync(new DescribeNetworkInterfacesRequest { NetworkInterfaceIds = [eniId] }, ct), cancellationToken).ConfigureAwait(false);
        var eni = response.NetworkInterfaces?.FirstOrDefault()
            ?? throw new AwsCallException(AwsFailureKind.Definite, "InvalidNetworkInterfaceID.NotFound", $"The networkInterface ID '{eniId}' does not exist", null);
        return (eni.PrivateIpAddresses ?? []).Any(p => p.PrivateIpAddress == Address.ToString() && p.Primary != true);
    }

}
