namespace ClusterPro.Aws.ElasticIp;

/// <summary>Where the EIP was the last time AWS told us (a DescribeAddresses read or an AssociateAddress answer).</summary>
/// <param name="EniId">The ENI it was associated with, or null when not associated.</param>
/// <param name="AssociationId">The association, or null.</param>
/// <param name="PublicIp">The public IP, when known.</param>
/// <param name="Source">Which call told us.</param>
/// <param name="Timestamp">When (<see cref="TimeProvider.GetTimestamp"/>).</param>
internal sealed record ElasticIpSighting(string? EniId, string? AssociationId, string? PublicIp, string Source, long Timestamp);
