using ClusterPro.Resources;

namespace ClusterPro.Aws.ElasticIp;

/// <summary>The AWS Elastic IP resource (<c>awseip</c>): the allocation is associated with the active node's ENI. Its monitor (<c>awseipw</c>) is added with it.</summary>
public sealed class AwsElasticIpOptions : AwsResourceOptions
{
    /// <summary>The Elastic IP's allocation ID (<c>eipalloc-…</c>), common to all nodes.</summary>
    public string? AllocationId { get; set; }

    /// <summary>The ENI (<c>eni-…</c>) to associate the EIP with when a node is active; required for every node.</summary>
    public PerNode<string> EniId { get; set; } = new();
}
