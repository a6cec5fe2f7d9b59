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

    public InFlightRoute53 Route53 { get; private init; } = null!;

    /// <summary>Drives the fake clock while an operation runs, never while a Route 53 call is in flight.</summary>
    public async Task<T> RunWithClockAsync<T>(Task<T> operation, TimeSpan step)
    {
        for (var i = 0; i < 1_000_000 && !operation.IsCompleted; i++)
        {
            if (Route53.InFlight == 0)
            {
                Time!.Advance(step);
            }

            await Task.Yield();
        }

        return await operation;
    }

    public static async Task<AwsCluster> StartAsync(Action<IClusterProBuilder, CanonicalScenario> compose, bool fakeTime = false, Action<AmazonEC2Config>? client = null, TimeSpan? propagation = null, string? secret = null, int dnsPort = 0)
    {
        var time = fakeTime ? new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture)) : null;
        var emulator = await AwsEmulator.StartAsync(new AwsEmulatorOptions
        {
            Scenario = EmulatorScenario.Canonical,
            TimeProvider = (TimeProvider?)time ?? TimeProvider.System,
            Route53PropagationDelay = propagation ?? TimeSpan.Zero,
            DnsPort = dnsPort,
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
        var route53 = new InFlightRoute53(new AmazonRoute53Client(
            new HttpClient(),
            new AmazonRoute53Config { ServiceURL = emulator.Endpoint, RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
            new Amazon.Runtime.BasicAWSCredentials(emulator.AccessKeyId, secret ?? emulator.SecretAccessKey)));
        services.AddSingleton<IAmazonRoute53>(route53);
        var builder = services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"));
        compose(builder, emulator.Scenario!);
        var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        return new AwsCluster(emulator, provider, time, hosts) { Route53 = route53 };
    }

    public static int FreeUdpPort()
    {
        using var probe = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)probe.Client.LocalEndPoint!).Port;
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

/// <summary>Counts Route 53 calls in flight, so a test can move a fake clock only between calls.</summary>
internal sealed class InFlightRoute53(IAmazonRoute53 inner) : IAmazonRoute53
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public Task<ChangeResourceRecordSetsResponse> ChangeResourceRecordSetsAsync(ChangeResourceRecordSetsRequest request, CancellationToken cancellationToken = default) =>
        Track(inner.ChangeResourceRecordSetsAsync(request, cancellationToken));

    public Task<ListResourceRecordSetsResponse> ListResourceRecordSetsAsync(ListResourceRecordSetsRequest request, CancellationToken cancellationToken = default) =>
        Track(inner.ListResourceRecordSetsAsync(request, cancellationToken));

    public Task<GetChangeResponse> GetChangeAsync(GetChangeRequest request, CancellationToken cancellationToken = default) =>
        Track(inner.GetChangeAsync(request, cancellationToken));

    public Task<GetHostedZoneResponse> GetHostedZoneAsync(GetHostedZoneRequest request, CancellationToken cancellationToken = default) =>
        Track(inner.GetHostedZoneAsync(request, cancellationToken));

    private async Task<T> Track<T>(Task<T> call)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return await call;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
