using ClusterPro.DependencyInjection;
using ClusterPro.Failover;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Core.Tests.DependencyInjection;

public class AddClusterProTests
{
    private readonly World _world = new();

    private static IConfiguration Json(string file = "DependencyInjection/cluster.json") =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, file)).Build();

    private static void ValidateOnStart(IServiceProvider sp) => sp.GetRequiredService<IStartupValidator>().Validate();

    private ServiceProvider Compose(IConfiguration config, Action<IClusterProBuilder>? extra = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddClusterPro(config)
            .AddGroupResource("failover1", "app1", _ => new FakeResource("app1", _world))
            .AddGroupResource("failover1", "vip1", _ => new FakeResource("vip1", _world))
            .AddMonitor("appw1", _ => new ScriptedMonitor("appw1"));
        extra?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddClusterPro_FromJson_ComposesTheGroupInDependencyOrder_WithConfiguredThresholds()
    {
        using var sp = Compose(Json());
        ValidateOnStart(sp);
        var factory = sp.GetRequiredService<ClusterProFactory>();

        var group = factory.CreateGroup("failover1");
        var result = await group.ActivateAsync("node1");

        factory.Options.NodeNames.Should().Equal("node1", "node2");
        group.ActivationOrder.Should().Equal("vip1", "app1");
        factory.Options.Groups["failover1"].FindResource("app1")!.ActivationRetryThreshold.Should().Be(2);
        result.Succeeded.Should().BeTrue();
        _world.Applied.Should().ContainKeys("vip1", "app1");
    }

    [Fact]
    public void AddClusterPro_FromJson_BindsMonitorSettings()
    {
        using var sp = Compose(Json());
        var factory = sp.GetRequiredService<ClusterProFactory>();

        var runner = factory.CreateMonitorRunner("appw1", "node1", new RecordingRecoveryActions());
        var options = factory.Options.Monitors["appw1"];

        runner.Name.Should().Be("appw1");
        options.Interval.Should().Be(TimeSpan.FromSeconds(30));
        options.Timing.Should().Be(MonitorTiming.WhileActive);
        options.Recovery.ReactivationThreshold.Should().Be(1);
        options.Recovery.FailoverThreshold.Should().Be(1, "unset thresholds keep their documented defaults");
        options.Recovery.FinalAction.Should().Be(FinalAction.StopClusterService);
    }

    [Fact]
    public void ValidateOnStart_ConfiguredResourceWithoutImplementation_NamesTheSettingAndTheFix()
    {
        var services = new ServiceCollection();
        services.AddClusterPro(Json())
            .AddGroupResource("failover1", "vip1", _ => new FakeResource("vip1", _world))
            .AddMonitor("appw1", _ => new ScriptedMonitor("appw1"));
        using var sp = services.BuildServiceProvider();

        var act = () => ValidateOnStart(sp);

        act.Should().Throw<OptionsValidationException>()
            .WithMessage("*ClusterPro:Groups:failover1:Resources:app1: no implementation is registered for resource 'app1'*");
    }

    [Fact]
    public void ValidateOnStart_EveryProblemReportedAtOnce()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClusterPro:Nodes:0:Name"] = "node1",
            ["ClusterPro:Groups:failover1:Nodes:0"] = "node9",
            ["ClusterPro:Groups:failover1:Resources:0:Name"] = "app1",
            ["ClusterPro:Groups:failover1:Resources:0:DependsOn:0"] = "vip1",
            ["ClusterPro:Groups:failover1:Resources:1:Name"] = "vip1",
            ["ClusterPro:Groups:failover1:Resources:1:DependsOn:0"] = "app1",
            ["ClusterPro:Groups:failover1:Resources:1:ActivationRetryThreshold"] = "100",
            ["ClusterPro:Monitors:appw1:Interval"] = "00:00:00",
            ["ClusterPro:Monitors:appw1:Recovery:Target"] = "nope",
        }).Build();
        using var sp = Compose(config);

        var act = () => ValidateOnStart(sp);

        var failures = act.Should().Throw<OptionsValidationException>().Which.Failures.ToList();
        failures.Should().Contain(f => f.Contains("ClusterPro:Groups:failover1:Nodes names 'node9'", StringComparison.Ordinal));
        failures.Should().Contain(f => f.Contains("cycle: app1 -> vip1 -> app1", StringComparison.Ordinal));
        failures.Should().Contain("ClusterPro:Groups:failover1:Resources:vip1:ActivationRetryThreshold is 100; use a value from 0 to 99.");
        failures.Should().Contain(f => f.StartsWith("ClusterPro:Monitors:appw1:Interval is 00:00:00", StringComparison.Ordinal));
        failures.Should().Contain("ClusterPro:Monitors:appw1:Recovery:Target 'nope' is not a resource of any group; fix the name.");
    }

    [Fact]
    public void ValidateOnStart_NoNodes_SaysToListThem()
    {
        var services = new ServiceCollection();
        services.AddClusterPro(_ => { });
        using var sp = services.BuildServiceProvider();

        var act = () => ValidateOnStart(sp);

        act.Should().Throw<OptionsValidationException>().WithMessage("*ClusterPro:Nodes is empty; list the cluster's nodes*");
    }

    [Fact]
    public void AddClusterPro_CalledTwice_RegistersOnce()
    {
        var services = new ServiceCollection();
        services.AddClusterPro();
        services.AddClusterPro();

        services.Count(d => d.ServiceType == typeof(IValidateOptions<ClusterProOptions>)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(ClusterProFactory)).Should().Be(1);
        services.Count(d => d.ServiceType == typeof(IFinalActionHandler)).Should().Be(1);
    }

    [Fact]
    public async Task AddClusterPro_HostRegistrationsWin_TimeProviderAndFinalActionHandler()
    {
        var time = new FakeTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddClusterPro(o => o.AddNode("node1"))
            .AddGroupResource("g", "r", _ => new FakeResource("r", _world), o => { o.FailoverThreshold = 0; o.ActivationFinalAction = FinalAction.StopClusterServiceAndShutdownOs; })
            .UseFinalActionHandler<RecordingFinalActions>();
        using var sp = services.BuildServiceProvider();
        ValidateOnStart(sp);
        var resource = (FakeResource)sp.GetRequiredKeyedService<IGroupResource>("r");
        resource.FailNextActivations(1);

        await sp.GetRequiredService<ClusterProFactory>().CreateGroup("g").ActivateAsync("node1");

        sp.GetRequiredService<TimeProvider>().Should().BeSameAs(time);
        ((RecordingFinalActions)sp.GetRequiredService<IFinalActionHandler>()).Requests.Should().ContainSingle()
            .Which.Action.Should().Be(FinalAction.StopClusterServiceAndShutdownOs);
    }

    [Fact]
    public void AddGroupResource_CodeSettingsApplyOnTopOfConfiguration()
    {
        var services = new ServiceCollection();
        services.AddClusterPro(Json())
            .AddGroupResource("failover1", "app1", _ => new FakeResource("app1", _world), o => o.DeactivationRetryThreshold = 4)
            .AddGroupResource("failover1", "vip1", _ => new FakeResource("vip1", _world))
            .AddMonitor("appw1", _ => new ScriptedMonitor("appw1"));
        using var sp = services.BuildServiceProvider();

        var options = sp.GetRequiredService<IOptions<ClusterProOptions>>().Value;

        options.Groups["failover1"].Resources.Select(r => r.Name).Should().Equal("app1", "vip1");
        var app = options.Groups["failover1"].FindResource("app1")!;
        app.ActivationRetryThreshold.Should().Be(2);
        app.DeactivationRetryThreshold.Should().Be(4);
    }
}
