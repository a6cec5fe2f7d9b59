using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Internal;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.ElasticIp;

/// <summary>The AWS Elastic IP resource (<c>awseip</c>): the allocation is associated with the active node's ENI. Its monitor (<c>awseipw</c>) is added with it.</summary>
public sealed class AwsElasticIpOptions : AwsResourceOptions
{
    /// <summary>The Elastic IP's allocation ID (<c>eipalloc-…</c>), common to all nodes.</summary>
    public string? AllocationId { get; set; }

    /// <summary>The ENI (<c>eni-…</c>) to associate the EIP with when a node is active; required for every node.</summary>
    public PerNode<string> EniId { get; set; } = new();
}

/// <summary>
/// Activation associates the allocation with this node's ENI (re-association allowed, so a takeover from a dead
/// node works) and verifies it; an EIP already there changes nothing. Deactivation disassociates it only when it is
/// on this node's ENI (an EIP already gone, or moved to another node, is success).
/// </summary>
internal sealed class AwsElasticIpResource(string name, AwsElasticIpOptions options, IAmazonEC2 ec2, TimeProvider time, ILogger<AwsElasticIpResource> logger) : IGroupResource
{
    public string Name { get; } = name;

    public ResourceResult CreateTimeoutResult(TimeSpan timeout) => ResourceResult.Failure(AwsResultCodes.EipTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        var changes = new List<string>();
        try
        {
            var before = await DescribeAsync(cancellationToken).ConfigureAwait(false);
            if (before.NetworkInterfaceId == eniId)
            {
                return ResourceResult.Unchanged();
            }

            var associated = await Call(ct => ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = options.AllocationId, NetworkInterfaceId = eniId, AllowReassociation = true }, ct), cancellationToken).ConfigureAwait(false);
            changes.Add($"{options.AllocationId} ({before.PublicIp}): {before.NetworkInterfaceId ?? "(none)"} -> {eniId}");
            Log.AddressAssociated(logger, Name, options.AllocationId!, eniId, associated.AssociationId);
            var after = await DescribeAsync(cancellationToken).ConfigureAwait(false);
            return after.NetworkInterfaceId == eniId
                ? ResourceResult.Success(changes)
                : ResourceResult.Failure(AwsResultCodes.ApiFailed, $"{AwsResultCodes.ApiFailedMessage} AssociateAddress succeeded but {options.AllocationId} is associated with {after.NetworkInterfaceId ?? "nothing"}, not {eniId}.", changes);
        }
        catch (AwsCallException ex)
        {
            return Failed(ex, changes);
        }
    }

    public async Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        try
        {
            var address = await DescribeAsync(cancellationToken).ConfigureAwait(false);
            if (address.NetworkInterfaceId != eniId || address.AssociationId is null)
            {
                return ResourceResult.Unchanged(address.NetworkInterfaceId is null ? "The EIP is not associated." : $"The EIP is associated with {address.NetworkInterfaceId}, not this node; left alone.");
            }

            try
            {
                await Call(ct => ec2.DisassociateAddressAsync(new DisassociateAddressRequest { AssociationId = address.AssociationId }, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (AwsCallException ex) when (ex.ErrorCode == "InvalidAssociationID.NotFound")
            {
                return ResourceResult.Unchanged("The EIP was already disassociated.");
            }

            return ResourceResult.Success([$"{options.AllocationId} ({address.PublicIp}): {eniId} -> (none)"]);
        }
        catch (AwsCallException ex)
        {
            return Failed(ex, []);
        }
    }

    internal async Task<Address> DescribeAsync(CancellationToken cancellationToken)
    {
        var response = await Call(ct => ec2.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [options.AllocationId!] }, ct), cancellationToken).ConfigureAwait(false);
        return response.Addresses?.FirstOrDefault()
            ?? throw new AwsCallException(AwsFailureKind.Definite, "InvalidAllocationID.NotFound", $"The allocation ID '{options.AllocationId}' does not exist", null);
    }

    private static ResourceResult Failed(AwsCallException ex, IReadOnlyList<string> changes) =>
        ex.ToResourceResult(AwsResultCodes.EipTimeout, AwsResultCodes.TimeoutOccurred, changes);

    private Task<T> Call<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        AwsCall.RunAsync(call, options.AwsCallTimeout, time, cancellationToken);
}

/// <summary>The AWS Elastic IP monitor (<c>awseipw</c>): the EIP is associated with this node's ENI, else 52.</summary>
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
            return address.NetworkInterfaceId == eniId
                ? MonitorResult.Normal()
                : MonitorResult.Error(AwsResultCodes.EipNotAssociated, AwsResultCodes.EipDoesNotExist(options.AllocationId!));
        }
        catch (AwsCallException ex)
        {
            return MonitorFailures.From(ex, options.MonitorApiFailureAction, AwsResultCodes.ApiFailed, AwsResultCodes.MonitorTimeout, Name, logger);
        }
    }
}
