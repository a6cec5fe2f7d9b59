namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>A volume's attachment to an instance.</summary>
internal sealed class VolumeAttachmentModel
{
    public required string InstanceId { get; init; }

    public required string Device { get; init; }

    public required DateTimeOffset AttachTime { get; init; }

    public bool DeleteOnTermination { get; set; }
}
