namespace ClusterPro.Aws.Testing;

/// <summary>Which topology the emulator starts with.</summary>
public enum EmulatorScenario
{
    /// <summary>Nothing of the product's: every region with its availability zones and AWS's default VPC only.</summary>
    Empty,

    /// <summary>The canonical two-node topology (VPC, four subnets, three route tables, VIP routes, EIP, hosted zone).</summary>
    Canonical,
}

/// <summary>Settings of an <see cref="AwsEmulator"/>.</summary>
public sealed class AwsEmulatorOptions
{
    /// <summary>The HTTP port on 127.0.0.1 (EC2, Route 53 and <c>/_emulator/</c>). <value>Default: 0 (any free port).</value></summary>
    public int Port { get; set; }

    /// <summary>The UDP port of the DNS responder on 127.0.0.1; 0 picks a free port, -1 disables it. <value>Default: 0.</value></summary>
    public int DnsPort { get; set; }

    /// <summary>The only access key the emulator accepts. <value>Default: <c>AKIAEMULATOR00000001</c>.</value></summary>
    public string AccessKeyId { get; set; } = "AKIAEMULATOR00000001";

    /// <summary>Its secret key. <value>Default: a fixed test secret.</value></summary>
    public string SecretAccessKey { get; set; } = "emulator/secret/AAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    /// <summary>
    /// The default region, one of AWS's (an unknown name is an <see cref="ArgumentException"/> at start): the canonical
    /// scenario is seeded there, and the clients the emulator hands out sign for it. It is not a lock: an EC2, DynamoDB or
    /// STS request signed for any AWS region is served from that region's own state (its zones, its default VPC, its
    /// tables); Route 53 is global and signed for <c>us-east-1</c>. <value>Default: <c>ap-northeast-1</c>.</value>
    /// </summary>
    public string Region { get; set; } = "ap-northeast-1";

    /// <summary>The topology to seed. <value>Default: <see cref="EmulatorScenario.Empty"/>.</value></summary>
    public EmulatorScenario Scenario { get; set; } = EmulatorScenario.Empty;

    /// <summary>
    /// How long a Route 53 change stays <c>PENDING</c> before <c>INSYNC</c> (and before the DNS responder answers with
    /// it). AWS takes seconds, up to a minute; <see cref="TimeSpan.Zero"/> makes every change <c>INSYNC</c> at once.
    /// <value>Default: 3 s.</value>
    /// </summary>
    public TimeSpan Route53PropagationDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long an instance stays <c>stopping</c> after a <c>StopInstances</c> without <c>Force</c>. <value>Default: 10 s.</value></summary>
    public TimeSpan InstanceStopDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an instance stays <c>stopping</c> after a <c>StopInstances</c> with <c>Force</c> (what fencing sends). <value>Default: 2 s.</value></summary>
    public TimeSpan InstanceForcedStopDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// When set, every EC2 Describe that AWS pages (route tables, VPCs, subnets, network interfaces, instances,
    /// security groups, tags) and every Route 53 list answers at most this many items per page, with a
    /// <c>NextToken</c> (<c>NextMarker</c> / <c>NextRecordName</c>), even when the caller asked for no
    /// <c>MaxResults</c> — AWS may page any such answer, so callers must follow the token. <value>Default: null (pages only when asked).</value>
    /// </summary>
    public int? PageSize { get; set; }

    /// <summary>How long an instance stays <c>pending</c>. <value>Default: 1 s.</value></summary>
    public TimeSpan InstanceStartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time for propagation and instance transitions (fault latency is always real time). <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// An IAM identity policy (the JSON document, e.g. <c>AwsIamPolicy.ToJson()</c> of ClusterPro.Aws) that every EC2,
    /// Route 53, DynamoDB and STS request is authorized against, as IAM would for a role holding only this policy: the
    /// action with wildcards, the resource ARNs AWS checks for that action, Allow and Deny (Deny wins), implicit deny.
    /// A denied request gets the service's own error (EC2 <c>UnauthorizedOperation</c> 403, Route 53 <c>AccessDenied</c>
    /// 403, DynamoDB <c>AccessDeniedException</c> 400). The condition keys <c>ec2:Vpc</c>, <c>ec2:Region</c> and
    /// <c>aws:RequestedRegion</c> are evaluated; a policy with any other key, a <c>Principal</c> or a policy variable is
    /// refused at start (<see cref="ArgumentException"/>) rather than half-evaluated. STS <c>GetCallerIdentity</c> needs
    /// no permission, as in AWS. <value>Default: null (every correctly signed request is allowed).</value>
    /// </summary>
    public string? Policy { get; set; }

    /// <summary>Seed for IDs and random faults, so runs are repeatable. <value>Default: 1.</value></summary>
    public int Seed { get; set; } = 1;
}
