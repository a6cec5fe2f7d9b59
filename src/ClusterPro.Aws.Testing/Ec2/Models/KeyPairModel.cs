namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>A key pair: name, type, fingerprint and public key (the private key is handed out once, on create).</summary>
internal sealed class KeyPairModel
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Type { get; init; }

    public required string Fingerprint { get; init; }

    public required string PublicKey { get; init; }

    public required DateTimeOffset CreateTime { get; init; }
}
