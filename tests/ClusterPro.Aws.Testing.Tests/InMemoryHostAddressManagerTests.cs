using System.Net;

namespace ClusterPro.Aws.Testing.Tests;

public class InMemoryHostAddressManagerTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("10.1.0.20");

    [Fact]
    public async Task ForNode_SameNodeInAnyCase_SharesItsAddresses_AndNodesAreApart()
    {
        var provider = new InMemoryHostAddressManager();
        var node1 = provider.ForNode("node1");

        (await node1.AddAsync("eth0", Vip, 24)).Should().BeTrue();
        (await node1.AddAsync("eth0", Vip, 24)).Should().BeFalse("it is there already");

        provider.ForNode("NODE1").Should().BeSameAs(node1);
        (await provider.ForNode("NODE1").ListAsync("eth0")).Should().Equal(Vip);
        (await provider.ForNode("node2").ListAsync("eth0")).Should().BeEmpty();
        (await provider.ListAsync("eth0")).Should().BeEmpty("the provider's own set is not a node's");
        (await node1.RemoveAsync("eth0", Vip, 24)).Should().BeTrue();
        (await node1.ListAsync("eth0")).Should().BeEmpty();
    }
}
