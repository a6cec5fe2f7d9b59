using Amazon;
using Amazon.EC2;
using Amazon.Extensions.NETCore.Setup;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace ClusterPro.Aws.Tests;

[Collection("environment")]
public class AwsDependencyInjectionTests
{
    [Fact]
    public void AddAws_HostsOwnClientWins()
    {
        var mine = new Mock<IAmazonEC2>().Object;
        var services = new ServiceCollection();
        services.AddSingleton(mine);
        services.AddClusterPro(o => o.AddNode("node1")).AddAws();
        using var sp = services.BuildServiceProvider();

        sp.GetRequiredService<IAmazonEC2>().Should().BeSameAs(mine);
    }

    [Fact]
    public async Task AddAws_EndpointOverride_SignsForTheConfiguredRegion_AndTalksToTheEmulator()
    {
        await using var emu = await Testing.AwsEmulator.StartAsync(new Testing.AwsEmulatorOptions { Scenario = Testing.EmulatorScenario.Canonical, DnsPort = -1, Region = "eu-west-1" });
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_EC2", emu.Endpoint.ToString());
        try
        {
            var services = new ServiceCollection();
            services.AddDefaultAWSOptions(new AWSOptions { Region = RegionEndpoint.EUWest1, Credentials = emu.Credentials });
            services.AddClusterPro(o => o.AddNode("node1")).AddAws();
            using var sp = services.BuildServiceProvider();
            var ec2 = sp.GetRequiredService<IAmazonEC2>();

            var vpcs = await ec2.DescribeVpcsAsync(new Amazon.EC2.Model.DescribeVpcsRequest());

            ec2.Config.AuthenticationRegion.Should().Be("eu-west-1");
            ec2.Config.RetryMode.Should().Be(Amazon.Runtime.RequestRetryMode.Standard);
            vpcs.Vpcs.Should().Contain(v => v.VpcId == emu.Scenario!.VpcId, "the state of the signing region, eu-west-1, was read");
            emu.Calls.Single().Region.Should().Be("eu-west-1");
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_EC2", null);
        }
    }

    [Theory]
    [InlineData("awsvip1", "awsvipw1")]
    [InlineData("awseip12", "awseipw12")]
    [InlineData("vip", "vipw")]
    public void MonitorNameFor_InsertsWBeforeTheNumber(string resource, string monitor) =>
        AwsClusterProBuilderExtensions.MonitorNameFor(resource).Should().Be(monitor);
}
