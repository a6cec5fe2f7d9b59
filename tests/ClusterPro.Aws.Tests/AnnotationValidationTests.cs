using Amazon.EC2;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Testing;
using ClusterPro.DependencyInjection;
using ClusterPro.Resources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace ClusterPro.Aws.Tests;

/// <summary>The [Range] attributes on the AWS options are evaluated at start-up, one message per problem.</summary>
public class AnnotationValidationTests
{
    private static readonly PerNode<string> Enis = new PerNode<string>().For("node1", "eni-0123456789abcdef0").For("node2", "eni-0123456789abcdef1");

    private static IReadOnlyList<string> Failures(Action<IClusterProBuilder> compose)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new Mock<IAmazonEC2>().Object);
        services.AddSingleton<IHostAddressManagerProvider>(new InMemoryHostAddressManager());
        compose(services.AddClusterPro(o => o.AddNode("node1").AddNode("node2")));
        using var sp = services.BuildServiceProvider();
        try
        {
            sp.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures.ToList();
        }
    }

    [Fact]
    public void SecondaryIp_PrefixLengthAndCallTimeoutOutOfRange_AreTwoMessages()
    {
        var failures = Failures(b => b.AddAwsSecondaryIp("failover1", "awssip1", o =>
        {
            o.Ip = "10.0.110.50";
            o.EniId = Enis;
            o.PrefixLength = 33;
            o.AwsCallTimeout = TimeSpan.Zero;
        }));

        failures.Should().BeEquivalentTo(
            "ClusterPro:Groups:failover1:Resources:awssip1:AwsCallTimeout is 00:00:00; use 1 to 999 seconds (e.g. \"00:01:40\" for the default 100 s).",
            "ClusterPro:Groups:failover1:Resources:awssip1:PrefixLength is 33; use the subnet's prefix length (1 to 32).");
    }

    [Fact]
    public void Fencing_CallTimeoutOutOfRange_NamesTheSetting()
    {
        var failures = Failures(b => b.AddAwsFencing(o =>
        {
            o.InstanceId = new PerNode<string>().For("node1", "i-0123456789abcdef0").For("node2", "i-0123456789abcdef1");
            o.AwsCallTimeout = TimeSpan.Zero;
        }));

        failures.Should().ContainSingle().Which.Should().Be("ClusterPro:Fencing:AwsCallTimeout is 00:00:00; use 1 to 999 seconds (e.g. \"00:01:40\" for the default 100 s).");
    }

    [Fact]
    public void HostAddresses_BadNamespaceName_IsRejectedNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ClusterPro:HostAddresses:node1:Kind"] = "linux",
            ["ClusterPro:HostAddresses:node1:Namespace"] = "../etc",
        }).Build();
        var services = new ServiceCollection();

        services.AddClusterPro(o => o.AddNode("node1").AddNode("node2")).AddAwsFromConfiguration(configuration);
        using var sp = services.BuildServiceProvider();

        var act = () => sp.GetRequiredService<IStartupValidator>().Validate();

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().StartWith("ClusterPro:HostAddresses:node1:Namespace '../etc' is not a namespace name");
    }
}
