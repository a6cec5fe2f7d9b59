using System.ComponentModel.DataAnnotations;
using ClusterPro.Resources;

namespace ClusterPro.Aws.Dns;

/// <summary>
/// The AWS DNS resource (<c>awsdns</c>): an A record <c>{name} → {ip}</c> upserted in a Route 53 hosted zone on
/// activation, deleted on deactivation (by default). Its monitor (<c>awsdnsw</c>) is added with it.
/// </summary>
public sealed class AwsDnsOptions : AwsResourceOptions
{
    /// <summary>The hosted zone ID (<c>Z…</c> or <c>/hostedzone/Z…</c>).</summary>
    public string? HostedZoneId { get; set; }

    /// <summary>The record name; any case, with or without the trailing dot (it is normalised to <c>srv.hz1.local.</c>).</summary>
    public string? RecordName { get; set; }

    /// <summary>The address the record holds: each node's own IP (per-node values), or one VIP/EIP shared by all.</summary>
    public PerNode<string> Ip { get; set; } = new();

    /// <summary>The TTL in seconds. <value>Default: 300.</value></summary>
    [Range(0d, 2147483647d, ErrorMessage = "use 0 to 2147483647 seconds (300 by default)")]
    public long Ttl { get; set; } = 300;

    /// <summary>Delete the record set on deactivation (else the next activation only updates it, which makes resolution after failover faster). <value>Default: true.</value></summary>
    public bool DeleteOnDeactivate { get; set; } = true;

    /// <summary>Wait on activation until the change is INSYNC on every Route 53 name server. <value>Default: false.</value></summary>
    public bool WaitForInsync { get; set; }

    /// <summary>The longest wait for INSYNC (Route 53 takes up to 60 s). <value>Default: 120 s.</value></summary>
    public TimeSpan InsyncTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The first poll interval of the INSYNC wait (doubling, at most 10 s). <value>Default: 1 s.</value></summary>
    public TimeSpan InsyncPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The monitor also resolves the name and checks the answer (54 / 55). <value>Default: true.</value></summary>
    public bool CheckNameResolution { get; set; } = true;

    /// <summary>Name servers the monitor asks (<c>10.0.0.2</c> or <c>127.0.0.1:5353</c>); empty for the system's. <value>Default: empty.</value></summary>
    public IList<string> NameServers { get; } = new List<string>();

    /// <summary>Bound on one name resolution. <value>Default: 5 s.</value></summary>
    public TimeSpan ResolverTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
