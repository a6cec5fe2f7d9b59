using System.ComponentModel.DataAnnotations;
using ClusterPro.Resources;

namespace ClusterPro.Aws.VirtualIp;

/// <summary>
/// The AWS Virtual IP resource (<c>awsvip</c>): a VIP outside every VPC CIDR, routed by a <c>{vip}/32</c> route in
/// every route table of the VPC that has one, to the active node's ENI; the VIP is also added to the node's
/// OS interface. Its monitor (<c>awsvipw</c>) is added with it.
/// </summary>
public sealed class AwsVirtualIpOptions : AwsResourceOptions
{
    /// <summary>The VIP (IPv4, outside every CIDR block of the VPC), e.g. <c>10.1.0.20</c>. Common to all nodes.</summary>
    public string? Ip { get; set; }

    /// <summary>The VPC (<c>vpc-…</c>); common, with per-node overrides allowed.</summary>
    public PerNode<string> VpcId { get; set; } = new();

    /// <summary>The ENI (<c>eni-…</c>) the VIP routes to when a node is active; required for every node.</summary>
    public PerNode<string> EniId { get; set; } = new();

    /// <summary>
    /// The route tables whose <c>{vip}/32</c> route the VIP owns (<c>rtb-…</c>), common to all nodes. Empty (the default)
    /// finds every route table of the VPC that has the route; listed, only those are read and switched, and each must hold
    /// the route (activation fails naming any that does not, before changing anything; the monitor reports it as error 56).
    /// <value>Default: empty (every route table of the VPC holding the route).</value>
    /// </summary>
    public IList<string> RouteTableIds { get; } = new List<string>();

    /// <summary>The OS interface the VIP is added to on each node. <value>Default: <c>eth0</c>.</value></summary>
    public PerNode<string> InterfaceName { get; set; } = new("eth0");

    /// <summary>
    /// How many ReplaceRoute calls are in flight at once. With the default every route table of up to 50 is switched in
    /// one round, so a switchover is two round trips (one DescribeRouteTables, then every ReplaceRoute at once); beyond
    /// it each further <c>MaxConcurrentRouteUpdates</c> tables add one round. EC2 meters ReplaceRoute in its bucket of
    /// mutating actions (200 requests at once), hence the upper bound. <value>Default: 50.</value>
    /// </summary>
    [Range(1, 200, ErrorMessage = "use 1 to 200 (the default 50 switches up to 50 route tables in one round; EC2 allows bursts of 200 mutating calls)")]
    public int MaxConcurrentRouteUpdates { get; set; } = 50;
}
