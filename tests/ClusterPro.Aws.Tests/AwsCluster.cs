using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Route53;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Aws.Tests;

/// <summary>The canonical two-node cluster on the emulator, composed through DI with the real AWS SDK over HTTP.</summary>
internal sealed class AwsCluster : IAsyncDisposable
{
    private AwsCluster(AwsEmulator emulator, ServiceProvider services, FakeTimeProvider? time, InMemoryHostAddressManager hosts)
    {
        Emulator = emulator;
        Services = services;
        Time = time;
        Hosts = hosts;
    }

    public AwsEmulator Emulator { get; }

    public CanonicalScenario S => Emulator.Scenario!;

    public ServiceProvider Services { get; }

    public FakeTimeProvider? Time { get; }

    public InMemoryHostAddressManager Hosts { get; }

    public static Task<AwsCluster> StartAsync(Action<IClusterProBuilder, CanonicalScenario> compose, bool fakeTime = false, Action<AmazonEC2Config>? client = null, TimeSpan? propagation = null, string? secret = null, TimeSpan? stopDelay = null, int? pageSize = null) =>
        StartAsync((b, e) => compose(b, e.Scenario!), fakeTime, client, propagation, secret, stopDelay, pageSize);

    public static async Task<AwsCluster> StartAsync(Action<IClusterProBuilder, AwsEmulator> compose, bool fakeTime = false, Action<AmazonEC2Config>? client = null, TimeSpan? propagation = null, string? secret = null, TimeSpan? stopDelay = null, int? pageSize = null)
    {
        var time = fakeTime ? new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)) : null;
        // Instant Route 53 changes and instance stops unless a test asks for AWS's timing (Timeout.InfiniteTimeSpan: the emulator's defaults).
        var defaults = new AwsEmulatorOptions();
        var emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions
        {
            Scenario = EmulatorScenario.Canonical,
            TimeProvider = (TimeProvider?)time ?? TimeProvider.System,
            Route53PropagationDelay = propagation ?? TimeSpan.Zero,
            InstanceStopDelay = stopDelay == Timeout.InfiniteTimeSpan ? defaults.InstanceStopDelay : stopDelay ?? TimeSpan.Zero,
            InstanceForcedStopDelay = stopDelay == Timeout.InfiniteTimeSpan ? defaults.InstanceForcedStopDelay : stopDelay ?? TimeSpan.Zero,
            PageSize = pageSize,
        });
        var hosts = new InMemoryHostAddressManager();
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton<TimeProvider>(time);
        }

        var config = emulator.CreateEc2Config();
        config.MaxErrorRetry = 3;
        client?.Invoke(config);
        services.AddSingleton<IAmazonEC2>(new AmazonEC2Client(emulator.Credentials, config));
        services.AddSingleton<IHostAddressManagerProvider>(hosts);
        var route53 = new AmazonRoute53Client(
            new HttpClient(),
            new AmazonRoute53Config { ServiceURL = emulator.Endpoint, RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
            new Amazon.Runtime.BasicAWSCredentials(emulator.AccessKeyId, secret ?? emulator.SecretAccessKey));
        services.AddSingleton<IAmazonRoute53>(route53);
        var builder = services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"));
        compose(builder, emulator);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return new AwsCluster(emulator, provider, time, hosts);
    }

    public static PerNode<string> Enis(CanonicalScenario s) => new PerNode<string>().For("node1", s.Node1.EniId).For("node2", s.Node2.EniId);

    public IGroupResource Resource(string name) => Services.GetRequiredKeyedService<IGroupResource>(name);

    public IMonitorResource Monitor(string name) => Services.GetRequiredKeyedService<IMonitorResource>(name);

    public Task<MonitorResult> CheckAsync(string monitor, string node) => Monitor(monitor).CheckAsync(new MonitorContext(node, monitor));

    public static ResourceContext On(string node) => new(node, "failover1");

    public async Task<bool> HasAddressAsync(string node, string ip, string iface = "eth0") =>
        (await Hosts.ForNode(node).ListAsync(iface)).Any(a => a.ToString() == ip);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
