using ClusterPro.DependencyInjection;
using ClusterPro.Hosting;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Core.Tests.DependencyInjection;

/// <summary>
/// Several configuration composers share one configuration's <c>Type</c> settings: each registers its own types, and a
/// type that nobody handles is reported once at start-up, whatever the order the composers were added in.
/// </summary>
public sealed class ConfiguredTypesTests
{
    private static IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ClusterPro:Nodes:0:Name"] = "node1",
        ["ClusterPro:Nodes:1:Name"] = "node2",
        ["ClusterPro:Groups:failover1:Resources:0:Name"] = "vip1",
        ["ClusterPro:Groups:failover1:Resources:0:Type"] = "vip",
        ["ClusterPro:Groups:failover1:Resources:1:Name"] = "app1",
        ["ClusterPro:Groups:failover1:Resources:1:Type"] = "exec",
        ["ClusterPro:Groups:failover1:Resources:2:Name"] = "db1",
        ["ClusterPro:Groups:failover1:Resources:2:Type"] = "oracle",
        ["ClusterPro:Monitors:appw1:Type"] = "http",
        ["ClusterPro:Monitors:appw1:Recovery:TargetKind"] = "LocalServer",
        ["ClusterPro:Monitors:dbw1:Type"] = "sqlplus",
        ["ClusterPro:Monitors:dbw1:Recovery:TargetKind"] = "LocalServer",
        ["ClusterPro:Monitors:codew1:Type"] = "none",
        ["ClusterPro:Monitors:codew1:Recovery:TargetKind"] = "LocalServer",
    }).Build();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TwoComposers_EachTakesItsOwnTypes_AndAnUnknownTypeIsReportedOnce_InEitherOrder(bool vipFirst)
    {
        var configuration = Configuration();
        var services = new ServiceCollection();
        var builder = services.AddClusterPro(configuration);
        if (vipFirst)
        {
            Compose(builder, configuration, "vip", "vipw");
            Compose(builder, configuration, "exec", "http");
        }
        else
        {
            Compose(builder, configuration, "exec", "http");
            Compose(builder, configuration, "vip", "vipw");
        }

        builder.AddMonitor("codew1", _ => new DelegateMonitorResource("codew1", (_, _) => Task.FromResult(MonitorResult.Normal())));
        using var sp = services.BuildServiceProvider();

        var problems = Problems(sp);

        var types = vipFirst ? "vip or exec" : "exec or vip";
        var monitors = vipFirst ? "vipw or http" : "http or vipw";
        problems.Should().BeEquivalentTo(
            $"ClusterPro:Groups:failover1:Resources:2:Type is 'oracle'; use {types} (or register the resource in code and remove Type).",
            $"ClusterPro:Monitors:dbw1:Type is 'sqlplus'; use {monitors} (or register the monitor in code and remove Type).");
    }

    [Fact]
    public void EveryTypeHandled_StartsCleanly()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Configuration().AsEnumerable()
            .Where(kv => !kv.Key.Contains("db1", StringComparison.Ordinal) && !kv.Key.Contains("dbw1", StringComparison.Ordinal) && !kv.Key.Contains("Resources:2", StringComparison.Ordinal))).Build();
        var services = new ServiceCollection();
        var builder = services.AddClusterPro(configuration);
        Compose(builder, configuration, "exec", "http");
        Compose(builder, configuration, "vip", "vipw");
        builder.AddMonitor("codew1", _ => new DelegateMonitorResource("codew1", (_, _) => Task.FromResult(MonitorResult.Normal())));
        using var sp = services.BuildServiceProvider();

        Problems(sp).Should().BeEmpty();
        sp.GetRequiredService<IOptions<ClusterProOptions>>().Value.Groups["failover1"].Resources.Select(r => r.Name).Should().Equal("vip1", "app1");
    }

    /// <summary>A composer in the style of AddAwsFromConfiguration: registers the entries of its types, declares them.</summary>
    private static void Compose(IClusterProBuilder builder, IConfiguration configuration, string resourceType, string monitorType)
    {
        foreach (var group in configuration.GetSection("ClusterPro:Groups").GetChildren())
        {
            foreach (var resource in group.GetSection("Resources").GetChildren().Where(r => r["Type"] == resourceType))
            {
                var name = resource["Name"]!;
                builder.AddGroupResource(group.Key, name, _ => new DelegateGroupResource(name, (_, _) => Task.FromResult(ResourceResult.Unchanged()), (_, _) => Task.FromResult(ResourceResult.Unchanged())));
            }
        }

        foreach (var monitor in configuration.GetSection("ClusterPro:Monitors").GetChildren().Where(m => m["Type"] == monitorType))
        {
            builder.AddMonitor(monitor.Key, _ => new DelegateMonitorResource(monitor.Key, (_, _) => Task.FromResult(MonitorResult.Normal())));
        }

        builder.AddConfiguredTypes(configuration, ConfiguredTypeSection.Resources, resourceType);
        builder.AddConfiguredTypes(configuration, ConfiguredTypeSection.Monitors, monitorType);
    }

    private static IReadOnlyList<string> Problems(ServiceProvider sp)
    {
        try
        {
            sp.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (Exception ex) when (ConfigurationProblems.Read(ex) is { } problems)
        {
            return problems;
        }
    }
}
