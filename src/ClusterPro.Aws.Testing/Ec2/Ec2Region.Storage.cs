using System.Text.RegularExpressions;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Key pairs and EBS volumes.</summary>
internal sealed partial class Ec2Region
{
    private static readonly Dictionary<string, (int Min, int Max)> VolumeSizes = new(StringComparer.Ordinal)
    {
        ["gp2"] = (1, 16384),
        ["gp3"] = (1, 16384),
        ["io1"] = (4, 16384),
        ["io2"] = (4, 65536),
        ["st1"] = (125, 16384),
        ["sc1"] = (125, 16384),
        ["standard"] = (1, 1024),
    };

    public (KeyPairModel Key, string PrivateKey) CreateKeyPair(string name, string type)
    {
        CheckKeyName(name);
        if (type is not ("rsa" or "ed25519"))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({type}) for parameter keyType is invalid. Valid values: rsa, ed25519.");
        }

        var (privateKey, publicKey, fingerprint) = KeyMaterial.Create(type, name);
        return (AddKeyPair(name, type, publicKey, fingerprint), privateKey);
    }

    public KeyPairModel ImportKeyPair(string name, byte[] publicKeyMaterial)
    {
        CheckKeyName(name);
        var (type, publicKey, fingerprint) = KeyMaterial.Import(publicKeyMaterial)
            ?? throw new AwsErrorException("InvalidKey.Format", "Key is not in valid OpenSSH public key format");
        return AddKeyPair(name, type, publicKey, fingerprint);
    }

    /// <summary>Deletes a key pair by name or ID; a key that does not exist is no error, as on EC2.</summary>
    public void DeleteKeyPair(string? name, string? id)
    {
        if (name is null && id is null)
        {
            throw new AwsErrorException("MissingParameter", "The request must contain the parameter KeyName or KeyPairId");
        }

        var key = KeyPairs.Values.FirstOrDefault(k => (name is null || k.Name == name) && (id is null || k.Id == id));
        if (key is not null)
        {
            KeyPairs.Remove(key.Name);
            Tags.Remove(key.Id);
        }
    }

    public VolumeModel CreateVolume(string zoneName, int? size, string? snapshotId, string? type, int? iops, int? throughput, bool encrypted, string? kmsKeyId, bool multiAttach)
    {
        var zone = Zones.FirstOrDefault(z => z.Name == zoneName) ?? throw new AwsErrorException("InvalidZone.NotFound", $"The zone '{zoneName}' does not exist.");
        if (snapshotId is not null)
        {
            throw new AwsErrorException("InvalidSnapshot.NotFound", $"The snapshot '{snapshotId}' does not exist.");
        }

        var volumeType = type ?? "gp2";
        if (!VolumeSizes.TryGetValue(volumeType, out var range))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({volumeType}) for parameter volumeType is invalid. Valid values: {string.Join(", ", VolumeSizes.Keys)}.");
        }

        var gib = size ?? throw new AwsErrorException("MissingParameter", "The request must contain the parameter size or snapshotId");
        if (gib < range.Min || gib > range.Max)
        {
            throw new AwsErrorException("InvalidParameterValue", $"Volume of {gib}GiB is too {(gib < range.Min ? "small" : "large")} for {volumeType}; {(gib < range.Min ? $"minimum is {range.Min}GiB" : $"maximum is {range.Max}GiB")}.");
        }

        if (iops is not null && volumeType is not ("io1" or "io2" or "gp3"))
        {
            throw new AwsErrorException("InvalidParameterCombination", $"The parameter iops is not supported for {volumeType} volumes.");
        }

        if (iops is null && volumeType is "io1" or "io2")
        {
            throw new AwsErrorException("MissingParameter", "The request must contain the parameter iops");
        }

        if (throughput is not null && volumeType != "gp3")
        {
            throw new AwsErrorException("InvalidParameterCombination", $"The parameter throughput is not supported for {volumeType} volumes.");
        }

        if (multiAttach && volumeType is not ("io1" or "io2"))
        {
            throw new AwsErrorException("InvalidParameterCombination", $"Multi-Attach is not supported for {volumeType} volumes.");
        }

        var volume = new VolumeModel
        {
            Id = _ids.Next("vol"),
            Zone = zone.Name,
            Size = gib,
            Type = volumeType,
            Iops = iops ?? volumeType switch
            {
                "gp2" => Math.Clamp(gib * 3, 100, 16000),
                "gp3" => 3000,
                _ => null,
            },
            Throughput = throughput ?? (volumeType == "gp3" ? 125 : null),
            Encrypted = encrypted || kmsKeyId is not null,
            KmsKeyId = encrypted || kmsKeyId is not null ? kmsKeyId ?? $"arn:{Regions.AwsRegions.Partition(Name)}:kms:{Name}:{Ec2Handler.OwnerId}:key/00000000-0000-0000-0000-000000000000" : null,
            MultiAttach = multiAttach,
            CreateTime = Now,
        };
        Volumes[volume.Id] = volume;
        return volume;
    }

    public VolumeAttachmentModel AttachVolume(string volumeId, string instanceId, string device)
    {
        var volume = Volume(volumeId);
        var instance = Instance(instanceId);
        if (!DeviceName().IsMatch(device))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({device}) for parameter device is invalid. {device} is not a valid EBS device name.");
        }

        if (instance.State is not ("running" or "stopped"))
        {
            throw new AwsErrorException("IncorrectState", $"Instance '{instanceId}' is not 'running'.");
        }

        if (volume.Zone != instance.Zone)
        {
            throw new AwsErrorException("InvalidVolume.ZoneMismatch", $"The volume '{volumeId}' is not in the same availability zone as instance '{instanceId}'");
        }

        if (volume.Attachments.Count > 0 && !volume.MultiAttach)
        {
            throw new AwsErrorException("VolumeInUse", $"{volumeId} is already attached to an instance");
        }

        if (Volumes.Values.Any(v => v.Attachments.Any(a => a.InstanceId == instanceId && a.Device == device)))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Invalid value '{device}' for unixDevice. Attachment point {device} is already in use");
        }

        var attachment = new VolumeAttachmentModel { InstanceId = instanceId, Device = device, AttachTime = Now };
        volume.Attachments.Add(attachment);
        return attachment;
    }

    public (VolumeModel Volume, VolumeAttachmentModel Attachment) DetachVolume(string volumeId, string? instanceId, string? device)
    {
        var volume = Volume(volumeId);
        var attachment = volume.Attachments.FirstOrDefault(a => (instanceId is null || a.InstanceId == instanceId) && (device is null || a.Device == device))
            ?? throw new AwsErrorException("IncorrectState", $"Volume '{volumeId}' is in the 'available' state.");
        if (instanceId is null && volume.Attachments.Count > 1)
        {
            throw new AwsErrorException("InvalidParameterCombination", $"The volume '{volumeId}' is attached to more than one instance; specify the instance ID.");
        }

        volume.Attachments.Remove(attachment);
        return (volume, attachment);
    }

    public void DeleteVolume(string volumeId)
    {
        var volume = Volume(volumeId);
        if (volume.Attachments.Count > 0)
        {
            throw new AwsErrorException("VolumeInUse", $"Volume {volumeId} is currently attached to {volume.Attachments[0].InstanceId}");
        }

        Volumes.Remove(volumeId);
        Tags.Remove(volumeId);
    }

    private KeyPairModel AddKeyPair(string name, string type, string publicKey, string fingerprint)
    {
        if (KeyPairs.ContainsKey(name))
        {
            throw new AwsErrorException("InvalidKeyPair.Duplicate", $"The keypair '{name}' already exists.");
        }

        var key = new KeyPairModel { Id = _ids.Next("key"), Name = name, Type = type, PublicKey = publicKey, Fingerprint = fingerprint, CreateTime = Now };
        KeyPairs[name] = key;
        return key;
    }

    private static void CheckKeyName(string name)
    {
        if (name.Length > 255 || name.Any(c => c > 127))
        {
            throw new AwsErrorException("InvalidParameterValue", $"Value ({name}) for parameter keyName is invalid. Key names must be ASCII and at most 255 characters.");
        }
    }

    [GeneratedRegex("^(/dev/(sd[a-z][1-9]?[0-9]?|xvd[a-z]{1,2})|xvd[a-z]{1,2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DeviceName();
}
