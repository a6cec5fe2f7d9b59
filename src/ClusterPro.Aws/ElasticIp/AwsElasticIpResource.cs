using System.Globalization;
using Amazon.EC2;
using Amazon.EC2.Model;
using ClusterPro.Aws.Internal;
using ClusterPro.Aws.Placement;
using ClusterPro.Resources;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.ElasticIp;

/// <summary>
/// Activation is one call: AssociateAddress with re-association allowed (so a takeover from a dead node works); its
/// answer is trusted and the monitor verifies the association. What it moved from is taken from the last time AWS told
/// this resource where the EIP was (a monitor read, a deactivation, an earlier activation), with that read's age; when
/// there was none the result says so instead of spending a call on it. An EIP last seen on this ENI is reported as
/// unchanged. Deactivation disassociates only this node's association: with the association ID the activation got back
/// it is one call (an association gone already is success), otherwise the address is read first.
/// </summary>
internal sealed class AwsElasticIpResource(string name, AwsElasticIpOptions options, IAmazonEC2 ec2, TimeProvider time, ILogger<AwsElasticIpResource> logger) : IGroupResource, IAwsResourcePlacement
{
    private readonly AwsCall _aws = new(options.AwsCallTimeout, time);
    private ElasticIpSighting? _seen;

    public string Name { get; } = name;

    private string AllocationId => options.AllocationId!;

    /// <summary>The ENI the address is associated with (one DescribeAddresses, as the monitor reads it) and whose it is.</summary>
    public async Task<AwsResourcePlacement> ReadPlacementAsync(IReadOnlyList<string> nodes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        try
        {
            var seen = await DescribeAsync(cancellationToken).ConfigureAwait(false);
            return PlacementReading.From(Name, "awseip", [new AwsPlacementTarget(AllocationId, seen.EniId, PlacementReading.NodeOf(nodes, options.EniId.Resolve, seen.EniId))]);
        }
        catch (AwsCallException ex)
        {
            return PlacementReading.Unknown(Name, "awseip", $"DescribeAddresses: {ex.Message}");
        }
    }

    public ResourceResult CreateTimeoutResult(TimeSpan timeout) => ResourceResult.Failure(AwsResultCodes.EipTimeout, AwsResultCodes.TimeoutOccurred);

    public async Task<ResourceResult> ActivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        var before = _seen;
        try
        {
            var associated = await _aws.RunAsync(
                ct => ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = AllocationId, NetworkInterfaceId = eniId, AllowReassociation = true }, ct),
                cancellationToken).ConfigureAwait(false);
            _seen = new ElasticIpSighting(eniId, associated.AssociationId, before?.PublicIp, "AssociateAddress", time.GetTimestamp());
            Log.AddressAssociated(logger, Name, AllocationId, eniId, associated.AssociationId ?? "?");
            if (before?.EniId == eniId)
            {
                return ResourceResult.Unchanged($"{AllocationId} was already on {eniId} ({Age(before)}); AssociateAddress kept it there ({associated.AssociationId}).");
            }

            var ip = before?.PublicIp is { } p ? $" ({p})" : string.Empty;
            var from = before is null ? "(not read)" : before.EniId ?? "(none)";
            var note = before is null
                ? "One call: where the EIP was before was not read; the monitor verifies the association."
                : $"Where it was before: {Age(before)}.";
            return ResourceResult.Success([$"{AllocationId}{ip}: {from} -> {eniId} ({associated.AssociationId})"], note);
        }
        catch (AwsCallException ex)
        {
            return Failed(ex, []);
        }
    }

    public async Task<ResourceResult> DeactivateAsync(ResourceContext context, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var eniId = options.EniId.ResolveRequired(context.NodeName, "EniId");
        try
        {
            var address = _seen is { AssociationId: not null } seen && seen.EniId == eniId ? seen : await DescribeAsync(cancellationToken).ConfigureAwait(false);
            if (address.EniId != eniId || address.AssociationId is null)
            {
                return ResourceResult.Unchanged(address.EniId is null ? "The EIP is not associated." : $"The EIP is associated with {address.EniId}, not this node; left alone.");
            }

            try
            {
                await _aws.RunAsync(ct => ec2.DisassociateAddressAsync(new DisassociateAddressRequest { AssociationId = address.AssociationId }, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (AwsCallException ex) when (ex.ErrorCode is "InvalidAssociationID.NotFound" or "InvalidAssociationID.Malformed")
            {
                _seen = null;
                return ResourceResult.Unchanged($"The association {address.AssociationId} no longer exists (the EIP was moved or disassociated); left alone.");
            }

            _seen = new ElasticIpSighting(null, null, address.PublicIp, "DisassociateAddress", time.GetTimestamp());
            var ip = address.PublicIp is { } p ? $" ({p})" : string.Empty;
            return ResourceResult.Success([$"{AllocationId}{ip}: {eniId} -> (none)"]);
        }
        catch (AwsCallException ex)
        {
            return Failed(ex, []);
        }
    }

    /// <summary>Reads where the EIP is (DescribeAddresses) and remembers it.</summary>
    internal async Task<ElasticIpSighting> DescribeAsync(CancellationToken cancellationToken)
    {
        var response = await _aws.RunAsync(ct => ec2.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [AllocationId] }, ct), cancellationToken).ConfigureAwait(false);
        var address = response.Addresses?.FirstOrDefault()
            ?? throw new AwsCallException(AwsFailureKind.Definite, "InvalidAllocationID.NotFound", $"The allocation ID '{AllocationId}' does not exist", null);
        var seen = new ElasticIpSighting(address.NetworkInterfaceId, address.AssociationId, address.PublicIp, "DescribeAddresses", time.GetTimestamp());
        _seen = seen;
        return seen;
    }

    private string Age(ElasticIpSighting seen) =>
        string.Create(CultureInfo.InvariantCulture, $"{seen.Source} {time.GetElapsedTime(seen.Timestamp).TotalSeconds:0.#} s ago");

    private static ResourceResult Failed(AwsCallException ex, IReadOnlyList<string> changes) =>
        ex.ToResourceResult(AwsResultCodes.EipTimeout, AwsResultCodes.TimeoutOccurred, changes);
}
