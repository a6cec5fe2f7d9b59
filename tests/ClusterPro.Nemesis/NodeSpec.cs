namespace ClusterPro.Nemesis;

/// <summary>A node's AWS identity in the emulator.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="InstanceId">Its instance (the fencing target).</param>
/// <param name="EniId">Its network interface (the VIP routes' and the EIP's target).</param>
/// <param name="PrivateIp">Its address (the DNS record's value).</param>
internal sealed record NodeSpec(string Name, string InstanceId, string EniId, string PrivateIp);
