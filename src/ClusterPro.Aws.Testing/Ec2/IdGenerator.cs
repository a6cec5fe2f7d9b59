using System.Globalization;

namespace ClusterPro.Aws.Testing.Ec2;

/// <summary>Creates AWS-shaped IDs and addresses (deterministic for a given seed).</summary>
internal sealed class IdGenerator(int seed)
{
    private readonly Random _random = new(seed);
    private int _publicHost = 10;

    /// <summary>A generator for one region's default resources, so that they never shift the IDs of the rest.</summary>
    public static IdGenerator ForDefaults(int seed, string region)
    {
        // FNV-1a over the region name: stable across processes (string.GetHashCode is not).
        var hash = 2166136261u;
        foreach (var c in region)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return new IdGenerator(unchecked((int)hash) ^ seed);
    }

    public string Next(string prefix)
    {
        lock (_random)
        {
            Span<byte> bytes = stackalloc byte[9];
            _random.NextBytes(bytes);
            return prefix + "-" + Convert.ToHexStringLower(bytes)[..17];
        }
    }

    public string Upper(string prefix, int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        lock (_random)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = alphabet[_random.Next(alphabet.Length)];
            }

            return prefix + new string(chars);
        }
    }

    public string Mac()
    {
        lock (_random)
        {
            Span<byte> bytes = stackalloc byte[5];
            _random.NextBytes(bytes);
            return "0a:" + string.Join(':', bytes.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Public addresses come from the documentation ranges (never routed).</summary>
    public string PublicIp()
    {
        lock (_random)
        {
            var n = _publicHost++;
            return n < 250 ? $"203.0.113.{n}" : $"198.51.100.{n - 240}";
        }
    }

    /// <summary>An Amazon-provided IPv6 /56, from the documentation prefix 2001:db8::/32.</summary>
    public string Ipv6Block()
    {
        lock (_random)
        {
            var a = _random.Next(1, 0x10000);
            var b = _random.Next(1, 0x100);
            return $"2001:db8:{a:x}:{b:x}00::/56";
        }
    }
}
