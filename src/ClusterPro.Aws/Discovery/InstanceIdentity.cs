namespace ClusterPro.Aws.Discovery;

/// <summary>What an EC2 instance knows about itself (from IMDSv2).</summary>
/// <param name="InstanceId">The instance ID.</param>
/// <param name="AvailabilityZone">Its zone.</param>
/// <param name="Region">Its region.</param>
/// <param name="PrivateIp">Its primary private IP.</param>
/// <param name="Mac">Its primary interface's MAC.</param>
/// <param name="NetworkInterfaceId">Its primary ENI.</param>
public sealed record InstanceIdentity(string InstanceId, string AvailabilityZone, string Region, string PrivateIp, string Mac, string NetworkInterfaceId);
