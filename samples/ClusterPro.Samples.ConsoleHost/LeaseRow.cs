using ClusterPro.Aws.Witness;

namespace ClusterPro.Samples.ConsoleHost;

/// <summary>A group's lease as the witness table holds it; the age is this machine's clock minus the writer's last write time.</summary>
internal sealed record LeaseRow(bool Answered, string? Owner, long? Epoch, string? RecordVersion, string? UpdatedBy, DateTimeOffset? UpdatedAt, double? AgeSeconds, string Detail)
{
    public static LeaseRow From(DynamoDbLeaseDetail detail, DateTimeOffset now)
    {
        var record = detail.Lease.Record;
        double? age = detail.UpdatedAt is { } at ? Math.Round(Math.Max(0, (now - at).TotalSeconds), 1) : null;
        return new LeaseRow(detail.Lease.Answered, record?.Owner, record?.Epoch, record?.RecordVersion, detail.UpdatedBy, detail.UpdatedAt, age, detail.Lease.Detail);
    }
}
