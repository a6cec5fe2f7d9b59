using System.Text;

namespace ClusterPro.Failover;

/// <summary>Heartbeat settings.</summary>
public sealed class HeartbeatOptions
{
    /// <summary>The environment variable read for the shared key when <see cref="Key"/> is empty.</summary>
    public const string KeyEnvironmentVariable = "CLUSTERPRO_HEARTBEAT_KEY";

    /// <summary>Time between heartbeats. <value>Default: 1 s.</value></summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence after which a peer is down (half of it makes it suspect). <value>Default: 5 s.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Heartbeats whose sender's clock differs from this node's by more are dropped (counted as clock skew), and old
    /// captured packets cannot be replayed after it. EC2 instances keep time with the Amazon Time Sync Service.
    /// <value>Default: 30 s.</value>
    /// </summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The shared HMAC-SHA256 key (at least 16 characters); empty to read <c>CLUSTERPRO_HEARTBEAT_KEY</c>.</summary>
    public string? Key { get; set; }

    /// <summary>Each node's heartbeat UDP endpoint, e.g. <c>node1 → 10.0.110.100:5405</c>.</summary>
    public IDictionary<string, string> Endpoints { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The key bytes: <see cref="Key"/>, else the environment variable.</summary>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidOperationException">No key, or a key shorter than 16 characters.</exception>
    public byte[] ResolveKey()
    {
        var key = string.IsNullOrEmpty(Key) ? Environment.GetEnvironmentVariable(KeyEnvironmentVariable) : Key;
        if (string.IsNullOrEmpty(key) || key.Length < 16)
        {
            throw new InvalidOperationException(
                $"ClusterPro:Heartbeat:Key is {(string.IsNullOrEmpty(key) ? "not set" : "shorter than 16 characters")}; set a shared secret of at least 16 characters in ClusterPro:Heartbeat:Key or the {KeyEnvironmentVariable} environment variable, the same on every node.");
        }

        return Encoding.UTF8.GetBytes(key);
    }
}
