using System.Net;
using System.Net.Sockets;
using ClusterPro.Applications.Tcp;
using ClusterPro.Monitoring;
using ClusterPro.Resources;

namespace ClusterPro.Applications.Tests.Tcp;

/// <summary>The TCP monitor against a real listener, per node.</summary>
public sealed class TcpMonitorTests
{
    [Fact]
    public async Task Listening_IsNormal_Closed_IsError7_AndEachNodeChecksItsOwnAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var closed = $"127.0.0.1:{FreePort()}";
        var monitor = new TcpMonitor("dbw1", new PerNode<string>(open).For("node2", closed));

        (await monitor.CheckAsync(new MonitorContext("node1", "dbw1"))).Should().Be(MonitorResult.Normal($"{open} accepted a connection."));
        var refused = await monitor.CheckAsync(new MonitorContext("node2", "dbw1"));
        refused.Status.Should().Be(MonitorStatus.Error);
        refused.Code.Should().Be(ApplicationResultCodes.ConnectFailed);
        refused.Message.Should().StartWith($"Could not connect to {closed}: ConnectionRefused");
    }

    [Theory]
    [InlineData("127.0.0.1:5432", "127.0.0.1", 5432)]
    [InlineData("db.local:5432", "db.local", 5432)]
    [InlineData("[::1]:5432", "::1", 5432)]
    public void Address_HostAndPort(string address, string host, int port) =>
        TcpAddress.Parse(address).Should().Be((host, port));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData(":5432")]
    [InlineData("::1:5432")]
    public void Address_NotHostAndPort(string address) => TcpAddress.Parse(address).Should().BeNull();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
