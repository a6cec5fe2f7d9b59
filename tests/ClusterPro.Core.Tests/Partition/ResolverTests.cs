using System.Net;
using System.Net.NetworkInformation;
using ClusterPro.Partition;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Core.Tests.Partition;

public class ResolverTests
{
    private static readonly HttpPartitionResolverOptions Target = new() { Host = "np.example", Port = 443, UseTls = true, Timeout = TimeSpan.FromSeconds(10) };

    private sealed class Answer(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return answer(request, cancellationToken);
        }
    }

    [Fact]
    public async Task Http_200_IsReachable_AndTheProbeIsAHead()
    {
        var handler = new Answer((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        using var http = new HttpClient(handler);

        var result = await new HttpNetworkPartitionResolver("http1", http, Target).ProbeAsync();

        result.Status.Should().Be(PartitionProbeStatus.Reachable);
        handler.Requests.Single().Method.Should().Be(HttpMethod.Head);
        handler.Requests.Single().RequestUri.Should().Be(new Uri("https://np.example:443/"));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.Found)]
    public async Task Http_AnyOtherStatus_IsUnreachable(HttpStatusCode status)
    {
        using var http = new HttpClient(new Answer((_, _) => Task.FromResult(new HttpResponseMessage(status))));

        var result = await new HttpNetworkPartitionResolver("http1", http, Target).ProbeAsync();

        result.Status.Should().Be(PartitionProbeStatus.Unreachable);
        result.Detail.Should().Contain($"answered {(int)status}");
    }

    [Fact]
    public async Task Http_NoAnswerWithinTheTimeout_IsUnreachable()
    {
        var time = new FakeTimeProvider();
        using var http = new HttpClient(new Answer(async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }));

        var probe = new HttpNetworkPartitionResolver("http1", http, Target, time).ProbeAsync();
        time.Advance(TimeSpan.FromSeconds(10));
        var result = await probe;

        result.Status.Should().Be(PartitionProbeStatus.Unreachable);
        result.Detail.Should().Be("HEAD https://np.example/ gave no answer within 10 s.");
    }

    [Fact]
    public async Task Http_ConnectionRefused_IsUnreachable()
    {
        using var http = new HttpClient(new Answer((_, _) => throw new HttpRequestException("Connection refused")));

        var result = await new HttpNetworkPartitionResolver("http1", http, Target).ProbeAsync();

        result.Status.Should().Be(PartitionProbeStatus.Unreachable);
        result.Detail.Should().Contain("Connection refused");
    }

    [SkippableFact]
    public async Task Ping_Loopback_IsReachable()
    {
        try
        {
            using var ping = new Ping();
            Skip.If((await ping.SendPingAsync(IPAddress.Loopback, 1000)).Status != IPStatus.Success, "ICMP echo is not permitted here (run as root with ping allowed).");
        }
        catch (PingException ex)
        {
            Skip.If(true, $"ICMP echo is not permitted here ({ex.InnerException?.Message ?? ex.Message}).");
        }

        var result = await new PingNetworkPartitionResolver("ping", ["127.0.0.1"], TimeSpan.FromSeconds(2)).ProbeAsync();

        result.Status.Should().Be(PartitionProbeStatus.Reachable);
        result.Detail.Should().StartWith("127.0.0.1 answered");
    }
}
