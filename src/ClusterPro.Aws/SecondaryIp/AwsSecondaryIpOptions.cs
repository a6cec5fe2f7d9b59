using System.ComponentModel.DataAnnotations;
using ClusterPro.Resources;

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
    [Range(1, 32, ErrorMessage = "use the subnet's prefix length (1 to 32)")]
    public int PrefixLength { get; set; } = 24;
}
