using ClusterPro.Witness;

namespace ClusterPro.Aws.Witness;

/// <summary>
/// A group's lease item as an operator reads it: the lease itself and the fields written for people beside it. The
/// product never decides from <see cref="UpdatedAt"/> (expiry is judged by each node's own clock); it is the writer's
/// clock at its last write, good for "how long since the lease record last changed".
/// </summary>
/// <param name="Lease">The lease as the nodes read it (<see cref="LeaseRead.Answered"/> false: no usable answer, the detail says why).</param>
/// <param name="UpdatedBy">The node that wrote the item last, or <see langword="null"/> when the item has none (or there is no item).</param>
/// <param name="UpdatedAt">When that node wrote it, by its own clock, or <see langword="null"/>.</param>
/// <param name="LeaseDuration">The lease duration the writer used, or <see langword="null"/>.</param>
public sealed record DynamoDbLeaseDetail(LeaseRead Lease, string? UpdatedBy, DateTimeOffset? UpdatedAt, TimeSpan? LeaseDuration);
