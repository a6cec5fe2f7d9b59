using Amazon.EC2;
using ClusterPro.Aws.AvailabilityZone;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.ElasticIp;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.VirtualIp;
using ClusterPro.DependencyInjection;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace ClusterPro.Aws.Tests;

/// <summary>Every bad AWS setting is a start-up error naming the setting and the fix.</summary>
public class BadInputTests
{
    private static PerNode<string> Enis => new PerNode<string>().For("node1", "eni-0123456789abcdef0").For("node2", "eni-0123456789abcdef1");

    public static TheoryData<string, string> Cases => new()
    {
        { "vip:Ip=", "ClusterPro:Groups:failover1:Resources:awsvip1:Ip is empty; set the VIP address" },
        { "vip:Ip=2001:db8::1", "ClusterPro:Groups:failover1:Resources:awsvip1:Ip is '2001:db8::1', an IPv6 address; the VIP must be an IPv4 address." },
        { "vip:Ip=10.1.0.0/24", "ClusterPro:Groups:failover1:Resources:awsvip1:Ip is '10.1.0.0/24'; the VIP must be a single address (a /32)" },
        { "vip:Ip=10.1", "ClusterPro:Groups:failover1:Resources:awsvip1:Ip is '10.1', which is not an IP address" },
        { "vip:VpcId=vpc-XYZ", "ClusterPro:Groups:failover1:Resources:awsvip1:VpcId is 'vpc-XYZ', which is not a vpc ID; use the form vpc-0123456789abcdef0" },
        { "vip:VpcId=subnet-0123456789abcdef0", "ClusterPro:Groups:failover1:Resources:awsvip1:VpcId is 'subnet-0123456789abcdef0', which is not a vpc ID" },
        { "vip:VpcId=", "ClusterPro:Groups:failover1:Resources:awsvip1:VpcId has no value for node 'node1'" },
        { "vip:EniId.node2=", "ClusterPro:Groups:failover1:Resources:awsvip1:EniId has no value for node 'node2'; set a common value" },
        { "vip:EniId.node3=eni-0123456789abcdef0", "ClusterPro:Groups:failover1:Resources:awsvip1:EniId:Nodes:node3 overrides the value for node 'node3', which is not a cluster node" },
        { "vip:EniId.node1=eni-123", "ClusterPro:Groups:failover1:Resources:awsvip1:EniId:Nodes:node1 is 'eni-123', which is not a eni ID" },
        { "vip:AwsCallTimeout=0", "ClusterPro:Groups:failover1:Resources:awsvip1:AwsCallTimeout is 00:00:00; use 1 to 999 seconds" },
        { "vip:MaxConcurrentRouteUpdates=0", "ClusterPro:Groups:failover1:Resources:awsvip1:MaxConcurrentRouteUpdates is 0; use 1 to 200" },
        { "vip:AwsCallTimeout=150", "ClusterPro:Groups:failover1:Resources:awsvip1:ActivationTimeout is 00:06:00, not longer than three AWS calls (3 × AwsCallTimeout 00:02:30 = 00:07:30)" },
        { "vip:AwsCallTimeout=130", "ClusterPro:Monitors:awsvipw1:Timeout is 00:02:00, shorter than one AWS call (ClusterPro:Groups:failover1:Resources:awsvip1:AwsCallTimeout 00:02:10)" },
        { "eip:AllocationId=", "ClusterPro:Groups:failover1:Resources:awseip1:AllocationId is empty; set the Elastic IP's allocation ID" },
        { "eip:AllocationId=eipassoc-0123456789abcdef0", "ClusterPro:Groups:failover1:Resources:awseip1:AllocationId is 'eipassoc-0123456789abcdef0', which is not a eipalloc ID" },
        { "az:AvailabilityZone=", "ClusterPro:Monitors:awsazw1:AvailabilityZone has no value for node 'node1'" },
        { "dns:RecordName=srv..hz1.local", "ClusterPro:Groups:failover1:Resources:awsdns1:RecordName is 'srv..hz1.local', which has an empty label" },
        { "dns:RecordName=srv_hz1 local", "ClusterPro:Groups:failover1:Resources:awsdns1:RecordName is 'srv_hz1 local', which has characters a DNS name cannot hold" },
        { "dns:RecordName=", "ClusterPro:Groups:failover1:Resources:awsdns1:RecordName is empty" },
        { "dns:HostedZoneId=hz1.local", "ClusterPro:Groups:failover1:Resources:awsdns1:HostedZoneId is 'hz1.local', which is not a hosted zone ID" },
        { "dns:HostedZoneId=Z0123456789ABCDEFGHIJ0123456789ABC", "ClusterPro:Groups:failover1:Resources:awsdns1:HostedZoneId is 'Z0123456789ABCDEFGHIJ0123456789ABC', which is not a hosted zone ID" },
        { "dns:HostedZoneId=z0123456789abcdefghij", "ClusterPro:Groups:failover1:Resources:awsdns1:HostedZoneId is 'z0123456789abcdefghij', which is not a hosted zone ID" },
        { "vip:VpcId=vpc-0123456", "ClusterPro:Groups:failover1:Resources:awsvip1:VpcId is 'vpc-0123456', which is not a vpc ID" },
        { "dns:Ip=", "ClusterPro:Groups:failover1:Resources:awsdns1:Ip has no value for node 'node1'" },
        { "dns:Ip=fe80::1", "ClusterPro:Groups:failover1:Resources:awsdns1:Ip is 'fe80::1', an IPv6 address" },
        { "dns:Ttl=-1", "ClusterPro:Groups:failover1:Resources:awsdns1:Ttl is -1; use 0 to 2147483647 seconds" },
        { "dns:NameServers=dns.example", "ClusterPro:Groups:failover1:Resources:awsdns1:NameServers has 'dns.example', which is not an address" },
    };

    [Theory]
    [InlineData("dns", "1D3E5F7A9B2C4E")]
    [InlineData("dns", "/hostedzone/ABCDEFGHIJKLMN")]
    [InlineData("dns", "Z0123456789ABCDEFGHIJ0123456789A")]
    [InlineData("vip", "vpc-12345678")]
    [InlineData("vip", "vpc-0123456789abcdef0123456789")]
    public void StartupValidation_IdsOtherEmulatorsIssue_AreAccepted(string kind, string id)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Mock<IAmazonEC2>().Object);
        services.AddSingleton<IHostAddressManagerProvider>(new InMemoryHostAddressManager());
        services.AddSingleton(new Mock<ClusterPro.Aws.Route53.IAmazonRoute53>().Object);
        var builder = services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"));
        if (kind == "dns")
        {
            builder.AddAwsDns("failover1", "awsdns1", o => { o.HostedZoneId = id; o.RecordName = "srv.hz1.local."; o.Ip = "10.1.0.20"; });
        }
        else
        {
            builder.AddAwsVirtualIp("failover1", "awsvip1", o => { o.Ip = "10.1.0.20"; o.VpcId = id; o.EniId = Enis; });
        }

        using var sp = services.BuildServiceProvider();
        var act = () => sp.GetRequiredService<IStartupValidator>().Validate();

        act.Should().NotThrow();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StartupValidation_BadSetting_NamesTheSettingAndTheFix(string change, string expected)
    {
        var (kind, setting) = (change.Split(':', 2)[0], change.Split(':', 2)[1]);
        var key = setting.Split('=')[0];
        var value = setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var services = new ServiceCollection();
        services.AddSingleton(new Mock<IAmazonEC2>().Object);
        services.AddSingleton<IHostAddressManagerProvider>(new InMemoryHostAddressManager());
        var builder = services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"));
        switch (kind)
        {
            case "vip":
                builder.AddAwsVirtualIp("failover1", "awsvip1", o =>
                {
                    o.Ip = "10.1.0.20";
                    o.VpcId = "vpc-0123456789abcdef0";
                    o.EniId = Enis;
                    Apply(o, key, value);
                });
                break;
            case "eip":
                builder.AddAwsElasticIp("failover1", "awseip1", o =>
                {
                    o.AllocationId = "eipalloc-0123456789abcdef0";
                    o.EniId = Enis;
                    Apply(o, key, value);
                });
                break;
            case "dns":
                builder.AddAwsDns("failover1", "awsdns1", o =>
                {
                    o.HostedZoneId = "Z0123456789ABCDEFGHIJ";
                    o.RecordName = "srv.hz1.local.";
                    o.Ip = "10.1.0.20";
                    switch (key)
                    {
                        case "RecordName": o.RecordName = value; break;
                        case "HostedZoneId": o.HostedZoneId = value; break;
                        case "Ip": o.Ip = value.Length == 0 ? new PerNode<string>() : value; break;
                        case "Ttl": o.Ttl = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                        default: o.NameServers.Add(value); break;
                    }
                });
                break;
            default:
                builder.AddAwsAzMonitor("awsazw1", o => o.AvailabilityZone = value.Length == 0 ? new PerNode<string>() : value);
                break;
        }

        using var sp = services.BuildServiceProvider();
        var act = () => sp.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    private static void Apply(object options, string key, string value)
    {
        switch (options, key)
        {
            case (AwsVirtualIpOptions o, "Ip"): o.Ip = value; break;
            case (AwsVirtualIpOptions o, "VpcId"): o.VpcId = value.Length == 0 ? new PerNode<string>() : value; break;
            case (AwsVirtualIpOptions o, "MaxConcurrentRouteUpdates"): o.MaxConcurrentRouteUpdates = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case (AwsResourceOptions o, "AwsCallTimeout"): o.AwsCallTimeout = TimeSpan.FromSeconds(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)); break;
            case (AwsVirtualIpOptions o, _) when key.StartsWith("EniId.", StringComparison.Ordinal):
                var node = key["EniId.".Length..];
                if (value.Length == 0)
                {
                    o.EniId.Nodes.Remove(node);
                }
                else
                {
                    o.EniId.Nodes[node] = value;
                }

                break;
            case (AwsElasticIpOptions o, "AllocationId"): o.AllocationId = value.Length == 0 ? null : value; break;
            default: throw new ArgumentException($"Unknown test setting {key}");
        }
    }

    [Fact]
    public void StartupValidation_GoodSettings_Pass()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Mock<IAmazonEC2>().Object);
        services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"))
            .AddAwsVirtualIp("failover1", "awsvip1", o => { o.Ip = "10.1.0.20/32"; o.VpcId = "vpc-01234567"; o.EniId = Enis; })
            .AddAwsElasticIp("failover1", "awseip1", o => { o.AllocationId = "eipalloc-01234567"; o.EniId = Enis; })
            .AddAwsAzMonitor("awsazw1", o => o.AvailabilityZone = new PerNode<string>().For("node1", "ap-northeast-1a").For("node2", "ap-northeast-1c"));
        using var sp = services.BuildServiceProvider();

        var act = () => sp.GetRequiredService<IStartupValidator>().Validate();

        act.Should().NotThrow();
        sp.GetRequiredService<IOptions<ClusterProOptions>>().Value.Monitors.Keys.Should().BeEquivalentTo("awsvipw1", "awseipw1", "awsazw1");
    }
    [Fact]
    public void StartupValidation_BadSettingsInEverySection_AreEachListedOnce_CoreAndAws()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClusterPro:Nodes:0:Name"] = "node1",
            ["ClusterPro:Nodes:1:Name"] = "node2",
            ["ClusterPro:Heartbeat:Timeout"] = "-00:00:05",
            ["ClusterPro:Groups:failover1:Resources:0:Name"] = "awsvip1",
            ["ClusterPro:Groups:failover1:Resources:0:Type"] = "awsvip",
            ["ClusterPro:Groups:failover1:Resources:0:Ip"] = "10.0.5.300",
            ["ClusterPro:Groups:failover1:Resources:0:VpcId"] = "vpc-xyz",
            ["ClusterPro:Groups:failover1:Resources:0:EniId"] = "eni-0123456789abcdef0",
            ["ClusterPro:Groups:failover1:Resources:1:Name"] = "awseip1",
            ["ClusterPro:Groups:failover1:Resources:1:Type"] = "awseip",
            ["ClusterPro:Groups:failover1:Resources:1:AllocationId"] = "",
            ["ClusterPro:Groups:failover1:Resources:1:EniId:Nodes:node1"] = "eni-0123456789abcdef0",
            ["ClusterPro:Groups:failover1:Resources:1:EniId:Nodes:node2"] = "eni-0123456789abcdef1",
            ["ClusterPro:Groups:failover1:Resources:2:Name"] = "app1",
            ["ClusterPro:Groups:failover1:Resources:2:Type"] = "awsapp",
            ["ClusterPro:Monitors:awsvipw1:RetryCount"] = "-5",
            ["ClusterPro:HostAddresses:node1:Kind"] = "windows",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton(new Mock<IAmazonEC2>().Object);
        services.AddClusterPro(configuration).AddAwsFromConfiguration(configuration);
        using var sp = services.BuildServiceProvider();

        Exception? thrown = null;
        try
        {
            sp.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (AggregateException ex)
        {
            thrown = ex;
        }

        var problems = ClusterPro.Hosting.ConfigurationProblems.Read(thrown!)!;
        problems.Should().OnlyHaveUniqueItems().And.HaveCount(8, string.Join(Environment.NewLine, problems));
        problems.Should().Contain(
        [
            "ClusterPro:Groups:failover1:Resources:2:Type is 'awsapp'; use awsvip, awseip, awsdns or awssip (or register the resource in code and remove Type).",
            "ClusterPro:HostAddresses:node1:Kind is 'windows'; use linux, none or memory.",
            "ClusterPro:Heartbeat:Timeout is -00:00:05; use a positive time span such as \"00:00:30\".",
            "ClusterPro:Monitors:awsvipw1:RetryCount is -5; use a value from 0 to 999.",
            "ClusterPro:Groups:failover1:Resources:awsvip1:Ip is '10.0.5.300', which is not an IP address; use an IPv4 address such as 10.1.0.20.",
            "ClusterPro:Groups:failover1:Resources:awsvip1:VpcId is 'vpc-xyz', which is not a vpc ID; use the form vpc-0123456789abcdef0 (vpc- and at least 8 lower-case hex digits), as the AWS console shows it.",
            "ClusterPro:Groups:failover1:Resources:awsvip1:EniId gives node1 and node2 the same ENI 'eni-0123456789abcdef0'; each node needs its own: set one per node, e.g. { \"Nodes\": { \"node1\": \"eni-…\", \"node2\": \"eni-…\" } }.",
        ]);
        problems.Should().Contain(p => p.StartsWith("ClusterPro:Groups:failover1:Resources:awseip1:AllocationId is empty", StringComparison.Ordinal));
        problems.Should().NotContain(p => p.Contains("no implementation is registered for resource 'app1'", StringComparison.Ordinal), "the unknown type says it once");
    }
}
