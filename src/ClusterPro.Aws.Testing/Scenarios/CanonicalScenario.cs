using ClusterPro.Aws.Testing.Hosting;
using ClusterPro.Aws.Testing.Route53;

namespace ClusterPro.Aws.Testing.Scenarios;

/// <summary>One node of the canonical topology.</summary>
/// <param name="Name">The node name (<c>node1</c>, <c>node2</c>).</param>
/// <param name="InstanceId">Its EC2 instance.</param>
/// <param name="EniId">Its primary network interface (the VIP and EIP target).</param>
/// <param name="PrivateIp">Its primary private IP.</param>
/// <param name="AvailabilityZone">Its zone.</param>
/// <param name="SubnetId">Its (private) subnet.</param>
/// <param name="Mac">Its interface's MAC address.</param>
public sealed record CanonicalNode(string Name, string InstanceId, string EniId, string PrivateIp, string AvailabilityZone, string SubnetId, string Mac);

/// <summary>
/// The IDs of the canonical topology (SPEC section 3): VPC 10.0.0.0/16; public subnets 10.0.10.0/24 (zone a)
/// and 10.0.20.0/24 (zone c); private subnets 10.0.110.0/24 (a) and 10.0.120.0/24 (c); route tables
/// Public-AB, Private-A, Private-B each holding <c>10.1.0.20/32 → node1's ENI</c>; an Elastic IP; the private
/// hosted zone <c>hz1.local.</c> with <c>srv.hz1.local. A node1</c>; node1 (zone a, master) and node2 (zone c).
/// Both ENIs have Source/Dest. Check disabled.
/// </summary>
/// <param name="Region">The region.</param>
/// <param name="VpcId">The VPC.</param>
/// <param name="VpcCidr">Its CIDR.</param>
/// <param name="PublicSubnetA">10.0.10.0/24.</param>
/// <param name="PublicSubnetC">10.0.20.0/24.</param>
/// <param name="PrivateSubnetA">10.0.110.0/24.</param>
/// <param name="PrivateSubnetC">10.0.120.0/24.</param>
/// <param name="RouteTablePublicAB">Route table Public-AB.</param>
/// <param name="RouteTablePrivateA">Route table Private-A.</param>
/// <param name="RouteTablePrivateB">Route table Private-B.</param>
/// <param name="Vip">The VIP (10.1.0.20).</param>
/// <param name="EipAllocationId">The Elastic IP's allocation.</param>
/// <param name="EipPublicIp">The Elastic IP.</param>
/// <param name="HostedZoneId">The hosted zone.</param>
/// <param name="ZoneName">hz1.local.</param>
/// <param name="RecordName">srv.hz1.local.</param>
/// <param name="Node1">node1 (master, zone a).</param>
/// <param name="Node2">node2 (zone c).</param>
public sealed partial record CanonicalScenario(
    string Region,
    string VpcId,
    string VpcCidr,
    string PublicSubnetA,
    string PublicSubnetC,
    string PrivateSubnetA,
    string PrivateSubnetC,
    string RouteTablePublicAB,
    string RouteTablePrivateA,
    string RouteTablePrivateB,
    string Vip,
    string EipAllocationId,
    string EipPublicIp,
    string HostedZoneId,
    string ZoneName,
    string RecordName,
    CanonicalNode Node1,
    CanonicalNode Node2)
{
    /// <summary>The three route tables that hold the VIP route.</summary>
    public IReadOnlyList<string> VipRouteTables => [RouteTablePublicAB, RouteTablePrivateA, RouteTablePrivateB];

    /// <summary>The VIP's /32 destination.</summary>
    public string VipCidr => Vip + "/32";

    /// <summary>The node by name.</summary>
    /// <param name="name">node1 or node2.</param>
    /// <returns>The node.</returns>
    public CanonicalNode Node(string name) => name == Node1.Name ? Node1 : name == Node2.Name ? Node2 : throw new ArgumentException($"No node '{name}' in the canonical scenario.", nameof(name));

    internal static CanonicalScenario Seed(EmulatorState state, string regionName)
    {
        lock (state.Sync)
        {
            var region = state.Region(regionName);
            var zoneA = region.Zones[0].Name;
            var zoneC = region.Zones[1].Name;
            var vpc = region.CreateVpc("10.0.0.0/16");
            var publicA = region.CreateSubnet(vpc.Id, "10.0.10.0/24", zoneA);
            var publicC = region.CreateSubnet(vpc.Id, "10.0.20.0/24", zoneC);
            var privateA = region.CreateSubnet(vpc.Id, "10.0.110.0/24", zoneA);
            var privateC = region.CreateSubnet(vpc.Id, "10.0.120.0/24", zoneC);
            var node1 = region.RunInstance(privateA.Id, "10.0.110.100", null, null);
            var node2 = region.RunInstance(privateC.Id, "10.0.120.101", null, null);
            var eni1 = region.Eni(node1.PrimaryEniId);
            var eni2 = region.Eni(node2.PrimaryEniId);
            eni1.SourceDestCheck = false;
            eni2.SourceDestCheck = false;
            var publicAB = region.CreateRouteTable(vpc.Id);
            region.AssociateRouteTable(publicAB.Id, publicA.Id);
            region.AssociateRouteTable(publicAB.Id, publicC.Id);
            var privateRtA = region.CreateRouteTable(vpc.Id);
            region.AssociateRouteTable(privateRtA.Id, privateA.Id);
            var privateRtB = region.CreateRouteTable(vpc.Id);
            region.AssociateRouteTable(privateRtB.Id, privateC.Id);
            const string vip = "10.1.0.20";
            foreach (var table in new[] { publicAB, privateRtA, privateRtB })
            {
                region.CreateRoute(table.Id, vip + "/32", eni1.Id, null, null);
            }

            var eip = region.AllocateAddress();
            var (zone, _) = state.Route53.CreateHostedZone("hz1.local.", "canonical-" + vpc.Id, true, "ClusterPro canonical scenario", regionName, vpc.Id);
            state.Route53.Drift(zone.Id, "srv.hz1.local.", "A", new RecordSetModel { Name = "srv.hz1.local.", Type = "A", Ttl = 300, Values = [eni1.PrimaryIp] });
            return new CanonicalScenario(
                regionName, vpc.Id, "10.0.0.0/16", publicA.Id, publicC.Id, privateA.Id, privateC.Id,
                publicAB.Id, privateRtA.Id, privateRtB.Id, vip, eip.AllocationId, eip.PublicIp, zone.Id, zone.Name, "srv.hz1.local.",
                new CanonicalNode("node1", node1.Id, eni1.Id, eni1.PrimaryIp, zoneA, privateA.Id, eni1.Mac),
                new CanonicalNode("node2", node2.Id, eni2.Id, eni2.PrimaryIp, zoneC, privateC.Id, eni2.Mac));
        }
    }
}
