using ClusterPro.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Core.Tests.DependencyInjection;

/// <summary>Every core setting with an invalid value is a start-up error that names the setting and the fix.</summary>
public class BadInputTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["ClusterPro:Nodes:0:Name"] = "node1",
        ["ClusterPro:Nodes:1:Name"] = "node2",
        ["ClusterPro:Groups:failover1:Resources:0:Name"] = "app1",
        ["ClusterPro:Groups:failover1:Resources:1:Name"] = "vip1",
        ["ClusterPro:Monitors:appw1:Recovery:Target"] = "app1",
    };

    public static TheoryData<string, string?, string> Cases => new()
    {
        { "ClusterPro:Nodes:1:Name", "node1", "ClusterPro:Nodes:1:Name 'node1' appears twice; node names must be unique." },
        { "ClusterPro:Nodes:1:Name", "", "ClusterPro:Nodes:1:Name is empty; give every node a name." },
        { "ClusterPro:Groups:failover1:Nodes:0", "node3", "ClusterPro:Groups:failover1:Nodes names 'node3', which is not a cluster node" },
        { "ClusterPro:Groups:failover1:Resources:0:ActivationRetryThreshold", "-1", "ClusterPro:Groups:failover1:Resources:app1:ActivationRetryThreshold is -1; use a value from 0 to 99." },
        { "ClusterPro:Groups:failover1:Resources:0:FailoverThreshold", "100", "ClusterPro:Groups:failover1:Resources:app1:FailoverThreshold is 100; use a value from 0 to 99." },
        { "ClusterPro:Groups:failover1:Resources:0:DeactivationRetryThreshold", "1000", "ClusterPro:Groups:failover1:Resources:app1:DeactivationRetryThreshold is 1000; use a value from 0 to 99." },
        { "ClusterPro:Groups:failover1:Resources:0:ActivationTimeout", "00:00:00", "ClusterPro:Groups:failover1:Resources:app1:ActivationTimeout is 00:00:00; use a positive time span" },
        { "ClusterPro:Groups:failover1:Resources:0:DeactivationTimeout", "-00:00:01", "ClusterPro:Groups:failover1:Resources:app1:DeactivationTimeout is -00:00:01; use a positive time span" },
        { "ClusterPro:Groups:failover1:Resources:0:DependsOn:0", "nope", "Resource 'app1' in group 'failover1' depends on 'nope', which is not a resource of that group" },
        { "ClusterPro:Groups:failover1:Resources:1:Name", "app1", "ClusterPro:Groups:failover1:Resources:app1: resource 'app1' is configured twice" },
        { "ClusterPro:Groups:failover1:Resources:2:Name", "ghost", "ClusterPro:Groups:failover1:Resources:ghost: no implementation is registered for resource 'ghost'" },
        { "ClusterPro:Monitors:appw1:Interval", "00:00:00", "ClusterPro:Monitors:appw1:Interval is 00:00:00; use a positive time span" },
        { "ClusterPro:Monitors:appw1:Interval", "-00:00:05", "ClusterPro:Monitors:appw1:Interval is -00:00:05; use a positive time span" },
        { "ClusterPro:Monitors:appw1:Timeout", "00:00:00", "ClusterPro:Monitors:appw1:Timeout is 00:00:00; use a positive time span" },
        { "ClusterPro:Monitors:appw1:RetryCount", "-1", "ClusterPro:Monitors:appw1:RetryCount is -1; use a value from 0 to 999." },
        { "ClusterPro:Monitors:appw1:StartDelay", "-00:00:01", "ClusterPro:Monitors:appw1:StartDelay is -00:00:01; use zero or a positive time span" },
        { "ClusterPro:Monitors:appw1:Timing", "WhileActive", "ClusterPro:Monitors:appw1:TargetResource is empty but Timing is WhileActive" },
        { "ClusterPro:Monitors:appw1:Recovery:Target", "nope", "ClusterPro:Monitors:appw1:Recovery:Target 'nope' is not a resource of any group; fix the name." },
        { "ClusterPro:Monitors:appw1:Recovery:ReactivationThreshold", "-2", "ClusterPro:Monitors:appw1:Recovery:ReactivationThreshold is -2; use a value from 0 to 99." },
        { "ClusterPro:Monitors:appw1:Recovery:TargetKind", "Group", "ClusterPro:Monitors:appw1:Recovery:Target 'app1' is not a group (failover1); fix the name." },
        { "ClusterPro:Monitors:ghostw:Interval", "00:00:10", "ClusterPro:Monitors:ghostw: no implementation is registered for monitor 'ghostw'" },
        { "ClusterPro:Heartbeat:Interval", "00:00:00", "ClusterPro:Heartbeat:Interval is 00:00:00; use a positive time span" },
        { "ClusterPro:Heartbeat:Timeout", "00:00:01", "ClusterPro:Heartbeat:Timeout (00:00:01) must be longer than ClusterPro:Heartbeat:Interval (00:00:01)" },
        { "ClusterPro:Heartbeat:Endpoints:node1", "10.0.0.1:5405", "ClusterPro:Heartbeat:Endpoints has no endpoint for node 'node2'" },
        { "ClusterPro:Heartbeat:Endpoints:node2", "10.0.0.2", "ClusterPro:Heartbeat:Endpoints:node2 is '10.0.0.2'; use address:port" },
        { "ClusterPro:NetworkPartition:Http:0:Host", "", "ClusterPro:NetworkPartition:Http:0:Host is empty; set the target every node should reach" },
        { "ClusterPro:NetworkPartition:Http:0:Port", "70000", "ClusterPro:NetworkPartition:Http:0:Port is 70000; use a value from 1 to 65535." },
        { "ClusterPro:Failover:FenceDelay", "-00:00:01", "ClusterPro:Failover:FenceDelay is -00:00:01; use zero or a positive time span." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValidateOnStart_BadSetting_NamesTheSettingAndTheFix(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>(Valid) { [key] = value };
        if (key.StartsWith("ClusterPro:Heartbeat:Endpoints:node2", StringComparison.Ordinal))
        {
            settings["ClusterPro:Heartbeat:Endpoints:node1"] = "10.0.0.1:5405";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var act = () => Validate(configuration);

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().Contain(f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    private static void Validate(IConfiguration configuration)
    {
        var world = new World();
        var services = new ServiceCollection();
        services.AddClusterPro(configuration)
            .AddGroupResource("failover1", "app1", _ => new FakeResource("app1", world))
            .AddGroupResource("failover1", "vip1", _ => new FakeResource("vip1", world))
            .AddMonitor("appw1", _ => new ScriptedMonitor("appw1"));
        using var sp = services.BuildServiceProvider();
        sp.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("00:00:08", true)]
    [InlineData("00:00:09", false)]
    public void ValidateOnStart_ALeaseTooShortToRenew_NamesTheLeaseTheCallsAndTheIntervals(string lease, bool refused)
    {
        // Defaults: witness calls of 2 s, heartbeats every 1 s: the lease must be at least 3 × (2 s + 1 s) = 9 s.
        var settings = new Dictionary<string, string?>(Valid)
        {
            ["ClusterPro:Witness:Type"] = "dynamodb",
            ["ClusterPro:Witness:Table"] = "clusterpro-witness",
            ["ClusterPro:Witness:LeaseDuration"] = lease,
        };
        var act = () => Validate(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

        var failures = act.Should().Throw<OptionsValidationException>().Which.Failures;
        var expected = $"ClusterPro:Witness:LeaseDuration ({lease}) leaves no room to renew: it must be at least three witness calls (ClusterPro:Witness:AwsCallTimeout 00:00:02) plus three heartbeat intervals (ClusterPro:Heartbeat:Interval 00:00:01), 00:00:09; raise LeaseDuration";
        if (refused)
        {
            failures.Should().Contain(f => f.StartsWith(expected, StringComparison.Ordinal));
        }
        else
        {
            // Only the missing lease store is left (this test registers none).
            failures.Should().NotContain(f => f.Contains("LeaseDuration", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void ValidateOnStart_TheValidBaseline_Passes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Valid).Build();
        var act = () => Validate(configuration);

        act.Should().NotThrow();
    }
}
