using ClusterPro.Aws.Testing.Hosting;
using ClusterPro.Aws.Testing.Route53;

namespace ClusterPro.Aws.Testing;

/// <summary>Reads the emulator's state directly, for assertions that should not go through the code under test.</summary>
public sealed class EmulatorInspector
{
    private readonly EmulatorState _state;
    private readonly string _defaultRegion;

    internal EmulatorInspector(EmulatorState state, string defaultRegion)
    {
        _state = state;
        _defaultRegion = defaultRegion;
    }

    /// <summary>The network interface a route targets, or null (no route, or a gateway target).</summary>
    /// <param name="routeTableId">The route table.</param>
    /// <param name="destinationCidr">The destination.</param>
    /// <param name="region">The region.</param>
    /// <returns>The ENI ID.</returns>
    public string? RouteTarget(string routeTableId, string destinationCidr, string? region = null)
    {
        lock (_state.Sync)
        {
            var table = _state.Region(region ?? _defaultRegion).RouteTable(routeTableId);
            return table.Routes.FirstOrDefault(r => r.Cidr == destinationCidr)?.NetworkInterfaceId;
        }
    }

    /// <summary>The network interface an Elastic IP is associated with, or null.</summary>
    /// <param name="allocationId">The allocation.</param>
    /// <param name="region">The region.</param>
    /// <returns>The ENI ID.</returns>
    public string? AddressTarget(string allocationId, string? region = null)
    {
        lock (_state.Sync)
        {
            return _state.Region(region ?? _defaultRegion).Address(allocationId).NetworkInterfaceId;
        }
    }

    /// <summary>The secondary private IPs of a network interface.</summary>
    /// <param name="networkInterfaceId">The interface.</param>
    /// <param name="region">The region.</param>
    /// <returns>The addresses.</returns>
    public IReadOnlyList<string> SecondaryIps(string networkInterfaceId, string? region = null)
    {
        lock (_state.Sync)
        {
            return [.. _state.Region(region ?? _defaultRegion).Eni(networkInterfaceId).SecondaryIps];
        }
    }

    /// <summary>An instance's state name (<c>running</c>, <c>stopping</c>, <c>stopped</c> …).</summary>
    /// <param name="instanceId">The instance.</param>
    /// <param name="region">The region.</param>
    /// <returns>The state.</returns>
    public string InstanceState(string instanceId, string? region = null)
    {
        lock (_state.Sync)
        {
            return _state.Region(region ?? _defaultRegion).Instance(instanceId).State;
        }
    }

    /// <summary>A record set as the API sees it: TTL and values, or null when absent.</summary>
    /// <param name="hostedZoneId">The zone.</param>
    /// <param name="name">The record name.</param>
    /// <param name="type">The type.</param>
    /// <returns>TTL and values.</returns>
    public (long Ttl, IReadOnlyList<string> Values)? Record(string hostedZoneId, string name, string type = "A")
    {
        lock (_state.Sync)
        {
            var n = Route53State.NormalizeName(name);
            var set = _state.Route53.Zone(hostedZoneId).Records.FirstOrDefault(r => r.Name == n && r.Type == type);
            return set is null ? null : (set.Ttl, [.. set.Values]);
        }
    }
}
