namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Key pairs and EBS volumes.</summary>
internal static partial class Ec2Handler
{
    private static IEnumerable<object?> CreateKeyPair(QueryParams p, Ec2Region r)
    {
        if (OneOf(p, "KeyFormat", "pem", "ppk") == "ppk")
        {
            throw new AwsErrorException("UnsupportedOperation", "The key format ppk is not supported by this emulator; use pem.");
        }

        var (key, privateKey) = r.CreateKeyPair(p.Required("KeyName"), OneOf(p, "KeyType", "rsa", "ed25519") ?? "rsa");
        ApplyTagSpecifications(p, "CreateKeyPair", r, ("key-pair", key.Id));
        return [E("keyName", key.Name), E("keyFingerprint", key.Fingerprint), E("keyMaterial", privateKey), E("keyPairId", key.Id), TagSet(r, key.Id)];
    }

    private static IEnumerable<object?> ImportKeyPair(QueryParams p, Ec2Region r)
    {
        // The API takes the key base64-encoded (the CLI encodes it); a key sent as plain OpenSSH text is taken as well.
        var text = p.Required("PublicKeyMaterial");
        byte[] material;
        try
        {
            material = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            material = System.Text.Encoding.UTF8.GetBytes(text);
        }

        var key = r.ImportKeyPair(p.Required("KeyName"), material);
        ApplyTagSpecifications(p, "ImportKeyPair", r, ("key-pair", key.Id));
        return [E("keyFingerprint", key.Fingerprint), E("keyName", key.Name), E("keyPairId", key.Id), TagSet(r, key.Id)];
    }

    private static IEnumerable<object?> DescribeKeyPairs(QueryParams p, Ec2Region r)
    {
        IEnumerable<KeyPairModel> keys = r.KeyPairs.Values;
        if (p.List("KeyName") is { Count: > 0 } names)
        {
            keys = names.Select(n => r.KeyPairs.TryGetValue(n, out var k) ? k : throw new AwsErrorException("InvalidKeyPair.NotFound", $"The key pair '{n}' does not exist"));
        }

        if (p.List("KeyPairId") is { Count: > 0 } ids)
        {
            keys = ids.Select(id => keys.FirstOrDefault(k => k.Id == id) ?? throw new AwsErrorException("InvalidKeyPair.NotFound", $"The key pair '{id}' does not exist"));
        }

        var withPublicKey = p.Bool("IncludePublicKey");
        var filtered = Query.Filter(keys, p, (k, name) => name switch
        {
            "key-name" => [k.Name],
            "key-pair-id" => [k.Id],
            "fingerprint" => [k.Fingerprint],
            "key-type" => [k.Type],
            _ => null,
        }, k => r.TagsOf(k.Id)).OrderBy(k => k.Name, StringComparer.Ordinal);
        return [E("keySet", filtered.Select(k => Item(
            E("keyPairId", k.Id),
            E("keyFingerprint", k.Fingerprint),
            E("keyName", k.Name),
            E("keyType", k.Type),
            TagSet(r, k.Id),
            withPublicKey ? E("publicKey", k.PublicKey) : null,
            E("createTime", Time(k.CreateTime)))))];
    }

    private static IEnumerable<object?> DeleteKeyPair(QueryParams p, Ec2Region r)
    {
        r.DeleteKeyPair(p.Get("KeyName"), p.Get("KeyPairId"));
        return [True()];
    }

    private static IEnumerable<object?> CreateVolume(QueryParams p, Ec2Region r)
    {
        NotModelled(p, "OutpostArn", "VolumeInitializationRate", "Operator");
        var volume = r.CreateVolume(
            p.Required("AvailabilityZone"),
            p.Int("Size"),
            p.Get("SnapshotId"),
            OneOf(p, "VolumeType", "standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"),
            p.Int("Iops"),
            p.Int("Throughput"),
            p.Bool("Encrypted"),
            p.Get("KmsKeyId"),
            p.Bool("MultiAttachEnabled"));
        ApplyTagSpecifications(p, "CreateVolume", r, ("volume", volume.Id));
        return Volume(r, volume, "creating");
    }

    private static IEnumerable<object?> DescribeVolumes(QueryParams p, Ec2Region r)
    {
        r.Refresh();
        var ids = p.List("VolumeId");
        if (ids.Count > 0 && p.Get("MaxResults") is not null)
        {
            throw new AwsErrorException("InvalidParameterCombination", "The parameter volumeSet cannot be used with the parameter maxResults");
        }

        var volumes = ids.Count > 0 ? ids.Select(r.Volume) : r.Volumes.Values;
        var filtered = Query.Filter(volumes, p, (v, name) => name switch
        {
            "volume-id" => [v.Id],
            "availability-zone" => [v.Zone],
            "size" => [Number(v.Size)],
            "status" => [VolumeStatus(v)],
            "volume-type" => [v.Type],
            "encrypted" => [Flag(v.Encrypted)],
            "multi-attach-enabled" => [Flag(v.MultiAttach)],
            "snapshot-id" => [string.Empty],
            "create-time" => [Time(v.CreateTime)],
            "attachment.instance-id" => v.Attachments.Select(a => a.InstanceId),
            "attachment.device" => v.Attachments.Select(a => a.Device),
            "attachment.status" => v.Attachments.Select(_ => "attached"),
            "attachment.delete-on-termination" => v.Attachments.Select(a => Flag(a.DeleteOnTermination)),
            "attachment.attach-time" => v.Attachments.Select(a => Time(a.AttachTime)),
            _ => null,
        }, v => r.TagsOf(v.Id)).ToList();
        var (page, next) = Query.Paginate(filtered, p, 5, 500, ids.Count > 0);
        return [E("volumeSet", page.Select(v => Item(Volume(r, v, VolumeStatus(v))))), Next(next)];
    }

    private static IEnumerable<object?> AttachVolume(QueryParams p, Ec2Region r)
    {
        var volumeId = p.Required("VolumeId");
        var attachment = r.AttachVolume(volumeId, p.Required("InstanceId"), p.Required("Device"));
        return VolumeAttachment(volumeId, attachment, "attaching");
    }

    private static IEnumerable<object?> DetachVolume(QueryParams p, Ec2Region r)
    {
        var (volume, attachment) = r.DetachVolume(p.Required("VolumeId"), p.Get("InstanceId"), p.Get("Device"));
        return VolumeAttachment(volume.Id, attachment, "detaching");
    }

    private static IEnumerable<object?> DeleteVolume(QueryParams p, Ec2Region r)
    {
        r.DeleteVolume(p.Required("VolumeId"));
        return [True()];
    }

    private static string VolumeStatus(VolumeModel v) => v.Attachments.Count > 0 ? "in-use" : "available";

    private static IEnumerable<object?> VolumeAttachment(string volumeId, VolumeAttachmentModel a, string status) =>
    [
        E("volumeId", volumeId),
        E("instanceId", a.InstanceId),
        E("device", a.Device),
        E("status", status),
        E("attachTime", Time(a.AttachTime)),
        E("deleteOnTermination", Flag(a.DeleteOnTermination)),
    ];

    private static IEnumerable<object?> Volume(Ec2Region r, VolumeModel v, string status) =>
    [
        E("volumeId", v.Id),
        E("size", Number(v.Size)),
        E("snapshotId", string.Empty),
        E("availabilityZone", v.Zone),
        E("status", status),
        E("createTime", Time(v.CreateTime)),
        E("attachmentSet", v.Attachments.Select(a => Item(VolumeAttachment(v.Id, a, "attached")))),
        E("volumeType", v.Type),
        v.Iops is { } iops ? E("iops", Number(iops)) : null,
        v.Throughput is { } throughput ? E("throughput", Number(throughput)) : null,
        E("encrypted", Flag(v.Encrypted)),
        Opt("kmsKeyId", v.KmsKeyId),
        E("multiAttachEnabled", Flag(v.MultiAttach)),
        TagSet(r, v.Id),
    ];
}
