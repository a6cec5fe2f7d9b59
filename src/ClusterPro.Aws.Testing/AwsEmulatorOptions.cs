namespace ClusterPro.Aws.Testing;

/// <summary>Which topology the emulator starts with.</summary>
public enum EmulatorScenario
{
    /// <summary>Nothing: regions with their availability zones only.</summary>
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

    /// <summary>The region clients are configured for; every region works, each with its own state. <value>Default: <c>ap-northeast-1</c>.</value></summary>
    public string Region { get; set; } = "ap-northeast-1";

    /// <summary>The topology to seed. <value>Default: <see cref="EmulatorScenario.Empty"/>.</value></summary>
    public EmulatorScenario Scenario { get; set; } = EmulatorScenario.Empty;

    /// <summary>How long a Route 53 change stays <c>PENDING</c> before <c>INSYNC</c> (and before the DNS responder answers with it). <value>Default: 0.</value></summary>
    public TimeSpan Route53PropagationDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long an instance stays <c>stopping</c>. <value>Default: 1 s.</value></summary>
    public TimeSpan InstanceStopDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an instance stays <c>pending</c>. <value>Default: 1 s.</value></summary>
    public TimeSpan InstanceStartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time for propagation and instance transitions (fault latency is always real time). <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Seed for IDs and random faults, so runs are repeatable. <value>Default: 1.</value></summary>
    public int Seed { get; set; } = 1;
}
