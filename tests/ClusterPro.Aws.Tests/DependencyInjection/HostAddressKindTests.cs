using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace ClusterPro.Aws.Tests.DependencyInjection;

/// <summary>
/// <c>ClusterPro:HostAddresses:{node}:Kind</c> is what the VIP and secondary IP resources get for that node: a node
/// configured <c>none</c> or <c>memory</c> never gets the Linux manager (which would change the real interfaces of the
/// machine it runs on), whether or not <c>AddAws()</c> ran before <c>AddAwsFromConfiguration</c>.
/// </summary>
public class HostAddressKindTests
{
    private static IConfiguration Configuration() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["ClusterPro:Nodes:0:Name"] = "node1",
        ["ClusterPro:Nodes:1:Name"] = "node2",
        ["ClusterPro:Nodes:2:Name"] = "node3",
        ["ClusterPro:HostAddresses:node1:Kind"] = "none",
        ["ClusterPro:HostAddresses:node2:Kind"] = "memory",
        ["ClusterPro:HostAddresses:node3:Kind"] = "linux",
        ["ClusterPro:Groups:failover1:Resources:0:Name"] = "awsvip1",
        ["ClusterPro:Groups:failover1:Resources:0:Type"] = "awsvip",
        ["ClusterPro:Groups:failover1:Resources:0:Ip"] = "10.1.0.20",
        ["ClusterPro:Groups:failover1:Resources:0:VpcId"] = "vpc-0bbbbbbbbbbbbbbb1",
        ["ClusterPro:Groups:failover1:Resources:0:EniId:Nodes:node1"] = "eni-0ccccccccccccccc1",
        ["ClusterPro:Groups:failover1:Resources:0:EniId:Nodes:node2"] = "eni-0ccccccccccccccc2",
        ["ClusterPro:Groups:failover1:Resources:0:EniId:Nodes:node3"] = "eni-0ccccccccccccccc3",
    }).Build();

    private static IHostAddressManagerProvider Compose(bool addAwsFirst, Action<IServiceCollection>? before = null)
    {
        var configuration = Configuration();
        var services = new ServiceCollection();
        services.AddSingleton(new Mock<IAmazonEC2>().Object);
        before?.Invoke(services);
        var builder = services.AddClusterPro(configuration);
        if (addAwsFirst)
        {
            builder.AddAws();
        }

        builder.AddAwsFromConfiguration(configuration);
        return services.BuildServiceProvider().GetRequiredService<IHostAddressManagerProvider>();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddAwsFromConfiguration_EachNodeGetsItsConfiguredKind_NeverLinuxForNoneOrMemory(bool addAwsFirst)
    {
        var hosts = Compose(addAwsFirst);

        var none = hosts.ForNode("node1");
        none.Should().BeOfType<NoOpHostAddressManager>("node1 is configured Kind none: the OS is left alone");
        none.ManagesAddresses.Should().BeFalse();
        hosts.ForNode("node2").Should().NotBeOfType<LinuxHostAddressManager>("node2 is configured Kind memory")
            .And.NotBeOfType<NoOpHostAddressManager>();
        hosts.ForNode("node2").ManagesAddresses.Should().BeTrue();
        hosts.ForNode("node3").Should().BeOfType<LinuxHostAddressManager>("node3 is configured Kind linux");
    }

    [Fact]
    public void AddAwsFromConfiguration_AHostsOwnProvider_StillWins()
    {
        var own = new Mock<IHostAddressManagerProvider>().Object;

        var hosts = Compose(addAwsFirst: true, before: s => s.AddSingleton(own));

        hosts.Should().BeSameAs(own);
    }

    [Fact]
    public void AddAws_WithoutHostAddresses_UsesLinuxForEveryNode()
    {
        var services = new ServiceCollection();
        services.AddClusterPro(o => o.AddNode("node1")).AddAws();

        services.BuildServiceProvider().GetRequiredService<IHostAddressManagerProvider>().ForNode("node1").Should().BeOfType<LinuxHostAddressManager>();
    }
}
