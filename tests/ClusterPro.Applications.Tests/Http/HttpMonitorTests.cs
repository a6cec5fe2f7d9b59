using ClusterPro.Applications.Http;
using ClusterPro.Monitoring;

namespace ClusterPro.Applications.Tests.Http;

/// <summary>The HTTP monitor against a real server: status, body match, no answer.</summary>
public sealed class HttpMonitorTests
{
    private static readonly MonitorContext Context = new("node1", "appw1");

    [Fact]
    public async Task Any2xx_IsNormal_OtherStatusesError8_UnlessListed()
    {
        await using var server = new TinyHttpServer();
        using var client = new HttpClient();
        var monitor = new HttpMonitor("appw1", new HttpMonitorOptions { Url = server.Url.ToString() }, client);

        (await monitor.CheckAsync(Context)).Should().Be(MonitorResult.Normal($"GET {server.Url} answered 200."));
        server.Status = 503;
        (await monitor.CheckAsync(Context)).Should().Be(MonitorResult.Error(ApplicationResultCodes.HttpStatus, $"GET {server.Url} answered 503 Other; expected a 2xx status."));
        var listed = new HttpMonitor("appw1", new HttpMonitorOptions { Url = server.Url.ToString(), ExpectedStatus = [503] }, client);
        (await listed.CheckAsync(Context)).Status.Should().Be(MonitorStatus.Normal);
    }

    [Fact]
    public async Task BodyMatch_ABodyThatDoesNotMatch_IsError9()
    {
        await using var server = new TinyHttpServer();
        using var client = new HttpClient();
        var monitor = new HttpMonitor("appw1", new HttpMonitorOptions { Url = server.Url.ToString(), BodyMatch = "\"status\":\\s*\"up\"" }, client);

        (await monitor.CheckAsync(Context)).Status.Should().Be(MonitorStatus.Normal);
        server.Body = "{\"status\": \"degraded\"}";
        (await monitor.CheckAsync(Context)).Should().Be(MonitorResult.Error(ApplicationResultCodes.HttpBody, $"GET {server.Url} answered 200, but its body does not match \"status\":\\s*\"up\"."));
    }

    [Fact]
    public async Task NoServer_IsError7()
    {
        Uri url;
        await using (var gone = new TinyHttpServer())
        {
            url = gone.Url;
        }

        using var client = new HttpClient();
        var result = await new HttpMonitor("appw1", new HttpMonitorOptions { Url = url.ToString() }, client).CheckAsync(Context);

        result.Status.Should().Be(MonitorStatus.Error);
        result.Code.Should().Be(ApplicationResultCodes.ConnectFailed);
        result.Message.Should().StartWith($"GET {url} failed: Connection refused");
    }
}
