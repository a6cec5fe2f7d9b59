namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>A network interface: addresses, groups, attachment and the public IPv4 address it may get on launch.</summary>
internal sealed class EniModel
{
    public required string Id { get; init; }

    public required string SubnetId { get; init; }

    public required string VpcId { get; init; }

    public required string Zone { get; init; }

    public required string Mac { get; init; }

    public required string PrimaryIp { get; init; }

    public List<string> SecondaryIps { get; } = [];

    public List<string> Ipv6Addresses { get; } = [];

    public List<string> Groups { get; init; } = [];

    public bool SourceDestCheck { get; set; } = true;

    public string Description { get; set; } = string.Empty;

    public string? InstanceId { get; set; }

    public string? AttachmentId { get; set; }

    public int DeviceIndex { get; set; }

    public bool DeleteOnTermination { get; set; }

    /// <summary>Whether the instance gets an Amazon public IPv4 address while running (launched with one).</summary>
    public bool MapsPublicIp { get; set; }

    /// <summary>The Amazon public IPv4 address it holds now (released while stopped).</summary>
    public string? AutoPublicIp { get; set; }
}
