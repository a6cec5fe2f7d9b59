using ClusterPro.Resources;

namespace ClusterPro.Aws.AvailabilityZone;

/// <summary>The AWS AZ monitor (<c>awsazw</c>): each node watches its own availability zone.</summary>
public sealed class AwsAzMonitorOptions : AwsResourceOptions
{
    /// <summary>The zone each node watches (e.g. node1 <c>ap-northeast-1a</c>, node2 <c>ap-northeast-1c</c>); required for every node.</summary>
    public PerNode<string> AvailabilityZone { get; set; } = new();
}
