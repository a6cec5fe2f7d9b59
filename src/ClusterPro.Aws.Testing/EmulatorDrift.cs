using ClusterPro.Aws.Testing.Ec2;
using ClusterPro.Aws.Testing.Hosting;
using ClusterPro.Aws.Testing.Route53;

namespace ClusterPro.Aws.Testing;

/// <summary>Changes made behind the product's back, as another operator or another cluster would.</summary>
public sealed class EmulatorDrift
{
    private readonly EmulatorState _state;
    private readonly string _defaultRegion;

    internal EmulatorDrift(EmulatorState state, string defaultRegion)
    {
        _state = state;
        _defaultRegion = defaultRegion;
    }

    /// <summary>Points a route at another network interface.</summary>
    /// <param name="routeTableId">The route table.</param>
    /// <param name="destinationCidr">The route's destination (e.g. <c>10.1.0.20/32</c>).</param>
    /// <param name="networkInterfaceId">The new target.</param>
    /// <param name="region">The region; the emulator's default when null.</param>
    public void RetargetRoute(string routeTableId, string destinationCidr, string networkInterfaceId, string? region = null) =>
        With(region, r => r.ReplaceRoute(routeTableId, destinationCidr, networkInterfaceId, null, null));

    /// <summary>Deletes a route.</summary>
    /// <param name="routeTableId">The route table.</param>
    /// <param name="destinationCidr">The route's destination.</param>
    /// <param name="region">The region.</param>
    public void DeleteRoute(string routeTableId, string destinationCidr, string? region = null) =>
        With(region, r => r.DeleteRoute(routeTableId, destinationCidr));

    /// <summary>Moves an Elastic IP to another network interface.</summary>
    /// <param name="allocationId">The allocation.</param>
    /// <param name="networkInterfaceId">The new interface.</param>
    /// <param name="region">The region.</param>
    public void MoveAddress(string allocationId, string networkInterfaceId, string? region = null) =>
        With(region, r => r.AssociateAddress(allocationId, null, networkInterfaceId, null, null, allowReassociation: true));

    /// <summary>Disassociates an Elastic IP.</summary>
    /// <param name="allocationId">The allocation.</param>
    /// <param name="region">The region.</param>
    public void DisassociateAddress(string allocationId, string? region = null) =>
        With(region, r => r.Disassociate(r.Address(allocationId)));

    /// <summary>Sets an availability zone's state (<c>available</c>, <c>information</c>, <c>impaired</c>, <c>unavailable</c>, <c>constrained</c>).</summary>
    /// <param name="zoneName">The zone.</param>
    /// <param name="zoneState">Its new state.</param>
    /// <param name="region">The region.</param>
    public void SetZoneState(string zoneName, string zoneState, string? region = null) =>
        With(region, r => r.Zone(zoneName).State = zoneState);

    /// <summary>Stops an instance at once (as a crash or another operator would).</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="region">The region.</param>
    public void StopInstance(string instanceId, string? region = null) =>
        With(region, r =>
        {
            var instance = r.Instance(instanceId);
            instance.State = "stopped";
            instance.Transition = null;
        });

    /// <summary>Removes a secondary private IP from a network interface.</summary>
    /// <param name="networkInterfaceId">The interface.</param>
    /// <param name="privateIp">The address.</param>
    /// <param name="region">The region.</param>
    public void UnassignPrivateIp(string networkInterfaceId, string privateIp, string? region = null) =>
        With(region, r => r.UnassignPrivateIpAddresses(networkInterfaceId, [privateIp]));

    /// <summary>Sets an A record (name servers see it at once).</summary>
    /// <param name="hostedZoneId">The zone.</param>
    /// <param name="name">The record name.</param>
    /// <param name="ip">The address.</param>
    /// <param name="ttl">The TTL.</param>
    public void SetRecord(string hostedZoneId, string name, string ip, long ttl = 300)
    {
        lock (_state.Sync)
        {
            _state.Route53.Drift(hostedZoneId, name, "A", new RecordSetModel { Name = Route53State.NormalizeName(name), Type = "A", Ttl = ttl, Values = [ip] });
        }
    }

    /// <summary>Deletes a record set (name servers see it at once).</summary>
    /// <param name="hostedZoneId">The zone.</param>
    /// <param name="name">The record name.</param>
    /// <param name="type">The record type.</param>
    public void DeleteRecord(string hostedZoneId, string name, string type = "A")
    {
        lock (_state.Sync)
        {
            _state.Route53.Drift(hostedZoneId, name, type, null);
        }
    }

    private void With(string? region, Action<Ec2Region> change)
    {
        lock (_state.Sync)
        {
            change(_state.Region(region ?? _defaultRegion));
        }
    }
}
