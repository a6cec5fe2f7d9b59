using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>
/// Key pairs as EC2 makes them: an RSA 2048 private key in PEM (PKCS#1) with the SHA-1 fingerprint of its PKCS#8 DER,
/// an ED25519 key in OpenSSH's format with the base64 SHA-256 fingerprint of its public key; imported OpenSSH public
/// keys with the MD5 (RSA) or SHA-256 (ED25519) fingerprint of their key blob.
/// </summary>
internal static class KeyMaterial
{
    public static (string PrivateKey, string PublicKey, string Fingerprint) Create(string type, string name) => type switch
    {
        "rsa" => Rsa(name),
        _ => Ed25519(name),
    };

    /// <summary>Parses an OpenSSH public key (<c>ssh-rsa AAAA… comment</c>); null when it is not one.</summary>
    public static (string Type, string PublicKey, string Fingerprint)? Import(byte[] material)
    {
        var parts = Encoding.ASCII.GetString(material).Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] is not ("ssh-rsa" or "ssh-ed25519"))
        {
            return null;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (blob.Length < 4 || ReadString(blob) != parts[0])
        {
            return null;
        }

#pragma warning disable CA5351 // EC2's fingerprint of an imported RSA key is MD5 (RFC 4716); it identifies, it does not protect.
        return parts[0] == "ssh-rsa"
            ? ("rsa", $"{parts[0]} {parts[1]}", Colons(MD5.HashData(blob)))
#pragma warning restore CA5351
            : ("ed25519", $"{parts[0]} {parts[1]}", Convert.ToBase64String(SHA256.HashData(blob)));
    }

    private static (string, string, string) Rsa(string name)
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        var blob = Concat(SshString("ssh-rsa"u8), SshMpint(parameters.Exponent!), SshMpint(parameters.Modulus!));
#pragma warning disable CA5350 // EC2's fingerprint of a key it creates is SHA-1; it identifies, it does not protect.
        return (rsa.ExportRSAPrivateKeyPem(), $"ssh-rsa {Convert.ToBase64String(blob)} {name}", Colons(SHA1.HashData(rsa.ExportPkcs8PrivateKey())));
#pragma warning restore CA5350
    }

    private static (string, string, string) Ed25519(string name)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var publicKey = ((Ed25519PublicKeyParameters)pair.Public).GetEncoded();
        var seed = ((Ed25519PrivateKeyParameters)pair.Private).GetEncoded();
        var publicBlob = Concat(SshString("ssh-ed25519"u8), SshString(publicKey));
        var check = RandomNumberGenerator.GetBytes(4);
        var section = Concat(check, check, SshString("ssh-ed25519"u8), SshString(publicKey), SshString(Concat(seed, publicKey)), SshString(Encoding.UTF8.GetBytes(name)));
        var padding = Enumerable.Range(1, (8 - (section.Length % 8)) % 8).Select(i => (byte)i).ToArray();
        var body = Concat(
            "openssh-key-v1\0"u8.ToArray(),
            SshString("none"u8),
            SshString("none"u8),
            SshString([]),
            BigEndian(1),
            SshString(publicBlob),
            SshString(Concat(section, padding)));
        var base64 = Convert.ToBase64String(body);
        var lines = Enumerable.Range(0, (base64.Length + 69) / 70).Select(i => base64.Substring(i * 70, Math.Min(70, base64.Length - (i * 70))));
        var pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + string.Join('\n', lines) + "\n-----END OPENSSH PRIVATE KEY-----\n";
        return (pem, $"ssh-ed25519 {Convert.ToBase64String(publicBlob)} {name}", Convert.ToBase64String(SHA256.HashData(publicBlob)));
    }

    private static string ReadString(byte[] blob)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(blob);
        return length < 0 || length > blob.Length - 4 ? string.Empty : Encoding.ASCII.GetString(blob, 4, length);
    }

    private static string Colons(byte[] hash) => string.Join(':', hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static byte[] BigEndian(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] SshString(ReadOnlySpan<byte> value) => Concat(BigEndian(value.Length), value.ToArray());

    private static byte[] SshMpint(byte[] unsigned) => SshString(unsigned[0] >= 0x80 ? Concat([0], unsigned) : unsigned);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
