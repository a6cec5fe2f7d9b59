namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>An EBS volume and its attachments.</summary>
internal sealed class VolumeModel
{
    public required string Id { get; init; }

    public required string Zone { get; init; }

    public required int Size { get; init; }

    public required string Type { get; init; }

    public int? Iops { get; init; }

    public int? Throughput { get; init; }

    public bool Encrypted { get; init; }

    public string? KmsKeyId { get; init; }

    public string? SnapshotId { get; init; }

    public bool MultiAttach { get; init; }

    public required DateTimeOffset CreateTime { get; init; }

    public List<VolumeAttachmentModel> Attachments { get; } = [];
}
