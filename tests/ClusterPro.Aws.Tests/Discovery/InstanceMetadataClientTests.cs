using ClusterPro.Aws.Discovery;
using ClusterPro.Aws.Testing;

namespace ClusterPro.Aws.Tests.Discovery;

public class InstanceMetadataClientTests
{
    [Fact]
    public async Task GetIdentityAsync_TwoNodesInOneProcess_EachSeesItself()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        var s = emu.Scenario!;
        using var http = new HttpClient();
        var node1 = new InstanceMetadataClient(http, new InstanceMetadataOptions { Endpoint = await emu.StartInstanceMetadataAsync(s.Node1.InstanceId) });
        var node2 = new InstanceMetadataClient(http, new InstanceMetadataOptions { Endpoint = await emu.StartInstanceMetadataAsync(s.Node2.InstanceId) });

        var one = await node1.GetIdentityAsync();
        var two = await node2.GetIdentityAsync();

        one.Should().Be(new InstanceIdentity(s.Node1.InstanceId, s.Node1.AvailabilityZone, "ap-northeast-1", s.Node1.PrivateIp, s.Node1.Mac, s.Node1.EniId));
        two.InstanceId.Should().Be(s.Node2.InstanceId);
        two.NetworkInterfaceId.Should().Be(s.Node2.EniId);
    }

    [Fact]
    public async Task GetIdentityAsync_WithEveryDescribePaged_MatchesWhatEc2Lists()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1, PageSize = 1 });
        var s = emu.Scenario!;
        using var http = new HttpClient();
        using var ec2 = emu.CreateEc2Client();

        var identity = await new InstanceMetadataClient(http, new InstanceMetadataOptions { Endpoint = await emu.StartInstanceMetadataAsync(s.Node2.InstanceId) }).GetIdentityAsync();
        var enis = new List<Amazon.EC2.Model.NetworkInterface>();
        string? token = null;
        do
        {
            var page = await ec2.DescribeNetworkInterfacesAsync(new Amazon.EC2.Model.DescribeNetworkInterfacesRequest { NextToken = token });
            enis.AddRange(page.NetworkInterfaces);
            token = page.NextToken;
        }
        while (token is not null);

        enis.Should().ContainSingle(e => e.NetworkInterfaceId == identity.NetworkInterfaceId).Which.PrivateIpAddress.Should().Be(identity.PrivateIp);
        enis.Should().HaveCount(2);
        emu.CountCalls("DescribeNetworkInterfaces").Should().Be(2, "one interface per page");
    }

    [Fact]
    public async Task GetIdentityAsync_ReusesTheSessionToken()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        var counting = new CountingHandler { InnerHandler = new HttpClientHandler() };
        using var http = new HttpClient(counting);
        var client = new InstanceMetadataClient(http, new InstanceMetadataOptions { Endpoint = await emu.StartInstanceMetadataAsync(emu.Scenario!.Node1.InstanceId) });

        await client.GetIdentityAsync();
        await client.GetIdentityAsync();

        counting.Puts.Should().Be(1, "the token is fetched once and reused");
    }

    [Fact]
    public async Task GetIdentityAsync_ImdsDown_SaysWhatToCheck()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        using var http = new HttpClient();
        var endpoint = await emu.StartInstanceMetadataAsync(emu.Scenario!.Node1.InstanceId);
        emu.Faults.Reset("IMDS");
        var client = new InstanceMetadataClient(http, new InstanceMetadataOptions { Endpoint = endpoint, Attempts = 2 });

        var act = () => client.GetIdentityAsync();

        (await act.Should().ThrowAsync<InvalidOperationException>()).Which.Message.Should()
            .Contain($"The instance metadata service at {endpoint} did not answer").And.Contain("after 2 attempts").And.Contain("IMDSv2");
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public int Puts { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Put)
            {
                Puts++;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
