using ClusterPro.Applications.DependencyInjection;
using ClusterPro.Applications.Exec;
using ClusterPro.Applications.Systemd;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Hosting;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Applications.Tests.DependencyInjection;

/// <summary>
/// The application resources and monitors from configuration alone — the stable names of the issue — beside the AWS
/// composer, in either order; every bad setting one line naming the setting and the fix.
/// </summary>
public sealed class CompositionTests
{
    private const string Json = """
        {
          "ClusterPro": {
            "Nodes": [ { "Name": "node1" }, { "Name": "node2" } ],
            "Groups": {
              "failover1": {
                "Resources": [
                  { "Name": "app1", "Type": "exec", "Start": ["/usr/bin/python3", "-m", "http.server", "18080"], "Stop": ["/bin/sh", "/opt/app/stop.sh"], "Mode": "service", "Timeout": "00:00:30" },
                  { "Name": "web1", "Type": "systemd", "Unit": "nginx.service", "DependsOn": [ "app1" ] },
                  { "Name": "init1", "Type": "exec", "Start": ["/opt/app/init.sh"], "Environment": { "APP_HOME": "/opt/app" } }
                ]
              }
            },
            "Monitors": {
              "appw1": { "Type": "process", "Resource": "app1", "Interval": "00:00:05" },
              "webw1": { "Type": "systemd", "Resource": "web1" },
              "httpw1": { "Type": "http", "Resource": "app1", "Url": "http://127.0.0.1:18080/", "BodyMatch": "Directory listing" },
              "tcpw1": { "Type": "tcp", "Address": { "Nodes": { "node1": "10.0.110.100:18080", "node2": "10.0.120.101:18080" } }, "Recovery": { "TargetKind": "Group", "Target": "failover1" } },
              "customw1": { "Type": "custom", "Command": ["/opt/app/check.sh"], "Resource": "init1", "Recovery": { "ReactivationThreshold": 0 } }
            }
          }
        }
        """;

    private static IConfiguration Configuration(string json, params (string Key, string? Value)[] changes)
    {
        var builder = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        if (changes.Length > 0)
        {
            builder.AddInMemoryCollection(changes.Select(c => KeyValuePair.Create(c.Key, c.Value)));
        }

        return builder.Build();
    }

    private static ServiceProvider Compose(IConfiguration configuration, bool awsFirst)
    {
        var services = new ServiceCollection();
        var builder = services.AddClusterPro(configuration);
        if (awsFirst)
        {
            builder.AddAwsFromConfiguration(configuration).AddApplicationsFromConfiguration(configuration);
        }
        else
        {
            builder.AddApplicationsFromConfiguration(configuration).AddAwsFromConfiguration(configuration);
        }

        return services.BuildServiceProvider();
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheIssuesConfiguration_Composes_WithTheAwsComposer_InEitherOrder(bool awsFirst)
    {
        using var sp = Compose(Configuration(Json), awsFirst);

        Problems(sp).Should().BeEmpty();
        sp.GetRequiredKeyedService<IGroupResource>("app1").Should().BeOfType<ExecResource>().Which.Mode.Should().Be(ExecMode.Service);
        sp.GetRequiredKeyedService<IGroupResource>("web1").Should().BeOfType<SystemdResource>();
        var exec = sp.GetRequiredService<IOptionsMonitor<ExecResourceOptions>>().Get("app1");
        exec.Start.Should().Equal("/usr/bin/python3", "-m", "http.server", "18080");
        exec.Stop.Should().Equal("/bin/sh", "/opt/app/stop.sh");
        exec.Timeout.Should().Be(TimeSpan.FromSeconds(30));
        sp.GetRequiredService<IOptionsMonitor<ExecResourceOptions>>().Get("init1").Environment.Should().Contain("APP_HOME", "/opt/app");
        var cluster = sp.GetRequiredService<IOptions<ClusterProOptions>>().Value;
        cluster.Groups["failover1"].Resources.Select(r => r.Name).Should().Equal("app1", "web1", "init1");
        var appw1 = cluster.Monitors["appw1"];
        (appw1.Timing, appw1.TargetResource, appw1.Recovery.Target, appw1.Interval).Should().Be((MonitorTiming.WhileActive, "app1", "app1", TimeSpan.FromSeconds(5)));
        cluster.Monitors["tcpw1"].Timing.Should().Be(MonitorTiming.Always, "a monitor that names no resource runs always");
        cluster.Monitors["customw1"].Recovery.ReactivationThreshold.Should().Be(0, "the configured recovery stays");
        foreach (var monitor in new[] { "appw1", "webw1", "httpw1", "tcpw1", "customw1" })
        {
            sp.GetRequiredKeyedService<IMonitorResource>(monitor).Name.Should().Be(monitor);
        }
    }

    [Fact]
    public void BadSettings_AreEachOneLine_NamingTheSettingAndTheFix()
    {
        var configuration = Configuration(
            Json,
            ("ClusterPro:Groups:failover1:Resources:0:Mode", "daemon"),
            ("ClusterPro:Groups:failover1:Resources:2:Start:0", ""),
            ("ClusterPro:Groups:failover1:Resources:2:Timeout", "-00:00:01"),
            ("ClusterPro:Groups:failover1:Resources:2:Environment:CLUSTERPRO_NODE", "x"),
            ("ClusterPro:Groups:failover1:Resources:1:Unit", "nginx"),
            ("ClusterPro:Groups:failover1:Resources:3:Name", "db1"),
            ("ClusterPro:Groups:failover1:Resources:3:Type", "oracle"),
            ("ClusterPro:Monitors:httpw1:Url", "127.0.0.1:18080"),
            ("ClusterPro:Monitors:tcpw1:Address:Nodes:node2", "10.0.120.101"),
            ("ClusterPro:Monitors:customw1:Command:0", ""),
            ("ClusterPro:Groups:failover1:Resources:4:Name", "job1"),
            ("ClusterPro:Groups:failover1:Resources:4:Type", "exec"),
            ("ClusterPro:Groups:failover1:Resources:4:Start:0", "/opt/app/job.sh"),
            ("ClusterPro:Monitors:jobw1:Type", "process"),
            ("ClusterPro:Monitors:jobw1:Resource", "job1"));
        using var sp = Compose(configuration, awsFirst: true);

        var problems = Problems(sp);

        problems.Should().BeEquivalentTo(
            "ClusterPro:Groups:failover1:Resources:0:Mode is 'daemon'; use oneshot (the start command starts the application and exits) or service (the start command is the service).",
            "ClusterPro:Groups:failover1:Resources:3:Type is 'oracle'; use awsvip, awseip, awsdns, awssip, exec or systemd (or register the resource in code and remove Type).",
            "ClusterPro:Groups:failover1:Resources:init1:Start:0 is empty; the first element is the program to run, e.g. /usr/bin/python3.",
            "ClusterPro:Groups:failover1:Resources:init1:Environment:CLUSTERPRO_NODE is reserved: ClusterPro sets the CLUSTERPRO_ variables (CLUSTERPRO_EVENT, CLUSTERPRO_NODE …); choose another name.",
            "ClusterPro:Groups:failover1:Resources:init1:Timeout is -00:00:01; use a positive time span such as \"00:00:30\".",
            "ClusterPro:Groups:failover1:Resources:web1:Unit is 'nginx', which is not a unit name; use the name with its type, e.g. nginx.service or app@1.service.",
            "ClusterPro:Monitors:httpw1:Url is '127.0.0.1:18080'; use an absolute http or https URL, e.g. http://127.0.0.1:18080/health.",
            "ClusterPro:Monitors:tcpw1:Address:Nodes:node2 is '10.0.120.101'; use host:port, e.g. 127.0.0.1:5432 or [::1]:5432.",
            "ClusterPro:Monitors:customw1:Command:0 is empty; the first element is the program to run, e.g. /usr/bin/python3.",
            "ClusterPro:Monitors:jobw1:Resource 'job1' is an exec resource in oneshot mode, whose start command does not stay running; set its Mode to service, or watch the application with a custom, tcp or http monitor.");
    }

    [Fact]
    public void InCode_TheSameBuilderStyle_AsTheAwsResources()
    {
        var services = new ServiceCollection();
        services.AddClusterPro(o =>
            {
                o.AddNode("node1");
                o.AddNode("node2");
            })
            .AddExec("failover1", "app1", o =>
            {
                o.Start = ["/usr/bin/python3", "-m", "http.server", "18080"];
                o.Mode = ExecMode.Service;
            })
            .AddProcessMonitor("appw1", o => o.Resource = "app1", m => m.Recovery.ReactivationThreshold = 1)
            .AddSystemd("failover1", "web1", o => o.Unit = "nginx.service")
            .AddSystemdMonitor("webw1", o => o.Resource = "web1");
        using var sp = services.BuildServiceProvider();

        Problems(sp).Should().BeEmpty();
        var cluster = sp.GetRequiredService<IOptions<ClusterProOptions>>().Value;
        cluster.Groups["failover1"].Resources.Select(r => r.Name).Should().Equal("app1", "web1");
        cluster.Monitors["appw1"].Recovery.Should().BeEquivalentTo(new { Target = "app1", ReactivationThreshold = 1 });
        cluster.Monitors["webw1"].TargetResource.Should().Be("web1");
    }

    [Fact]
    public void ProcessMonitor_OfAResourceThatIsNotExec_SaysSo()
    {
        var services = new ServiceCollection();
        services.AddClusterPro(o =>
            {
                o.AddNode("node1");
                o.AddNode("node2");
            })
            .AddSystemd("failover1", "web1", o => o.Unit = "nginx.service")
            .AddProcessMonitor("webw1", o => o.Resource = "web1")
            .AddProcessMonitor("nonew1", _ => { }, m => m.Recovery.TargetKind = RecoveryTargetKind.LocalServer);
        using var sp = services.BuildServiceProvider();

        Problems(sp).Should().BeEquivalentTo(
            "ClusterPro:Monitors:webw1:Resource is 'web1', which is not an exec resource; name an exec resource with Mode service (a custom, tcp or http monitor watches anything else).",
            "ClusterPro:Monitors:nonew1:Resource is empty; name the exec resource (Mode service) whose service the process monitor watches.");
    }
}
