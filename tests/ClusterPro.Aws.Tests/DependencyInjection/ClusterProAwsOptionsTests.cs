using Amazon.Runtime;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Route53;
using ClusterPro.Aws.Testing;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.Tests.DependencyInjection;

public class ClusterProAwsOptionsTests
{
    private static ServiceProvider Services(Action<ClusterProAwsOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddClusterPro(o => o.AddNode("node1").AddNode("node2"))
            .AddAws(configure)
            .AddAwsDns("failover1", "awsdns1", o =>
            {
                o.HostedZoneId = "Z0123456789ABCDEFGHIJ";
                o.RecordName = "srv.hz1.local.";
                o.Ip = "10.0.110.100";
            });
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task Route53EndpointAndCredentials_SendTheDnsResourcesCallsThere()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        await using var services = Services(o => { o.Route53Endpoint = emu.Endpoint; o.Route53Credentials = emu.Credentials; });

        var zone = await services.GetRequiredService<IAmazonRoute53>().GetHostedZoneAsync(new GetHostedZoneRequest { Id = emu.Scenario!.HostedZoneId });

        zone.HostedZone.Name.Should().Be("hz1.local.");
        emu.CountCalls("GetHostedZone").Should().Be(1);
    }

    [Fact]
    public async Task Route53Credentials_AreTheOnesSigningTheCalls()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        await using var services = Services(o =>
        {
            o.Route53Endpoint = emu.Endpoint;
            o.Route53Credentials = new BasicAWSCredentials("AKIAUNKNOWNKEY000000", "not-the-secret");
            o.MaxErrorRetry = 0;
        });

        var call = () => services.GetRequiredService<IAmazonRoute53>().GetHostedZoneAsync(new GetHostedZoneRequest { Id = emu.Scenario!.HostedZoneId });

        (await call.Should().ThrowAsync<AmazonRoute53Exception>()).Which.ErrorCode.Should().Be("InvalidClientTokenId");
    }
}
