namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>What a new network interface gets: its subnet, addresses, groups and description.</summary>
internal sealed record InterfaceSpec(string SubnetId)
{
    public string? PrivateIp { get; init; }

    public IReadOnlyList<string> SecondaryIps { get; init; } = [];

    public int SecondaryCount { get; init; }

    public IReadOnlyList<string> Groups { get; init; } = [];

    public string? Description { get; init; }

    public int Ipv6Count { get; init; }

    public IReadOnlyList<string> Ipv6Addresses { get; init; } = [];
}
