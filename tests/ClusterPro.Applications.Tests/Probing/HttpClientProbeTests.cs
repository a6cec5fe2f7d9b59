using System.Net;
using ClusterPro.Applications.Probing;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Applications.Tests.Probing;

/// <summary>The client probe on a fake clock, against a service that stops answering for a while: what it counts and the gap it reports.</summary>
public sealed class HttpClientProbeTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly Uri Url = new("http://app.test/health");

    [Fact]
    public async Task AnOutageOfSixRequests_IsSixFailures_AndAGapOf350Ms_FromTheLastAnswerToTheNext()
    {
        var time = new FakeTimeProvider();
        using var handler = new Service();
        using var client = new HttpClient(handler);
        var probe = HttpClientProbe.Start(new HttpClientProbeOptions { Url = Url }, client, time);

        await RunAsync(probe, time, 10, first: true);   // answered: sent at 0 … 450 ms
        handler.Status = HttpStatusCode.ServiceUnavailable;
        await RunAsync(probe, time, 6);                 // failed: 500 … 750 ms
        handler.Status = HttpStatusCode.OK;
        await RunAsync(probe, time, 10);                // answered again from 800 ms
        var report = await probe.StopAsync();

        report.Requests.Should().Be(26);
        report.Succeeded.Should().Be(20);
        report.Failed.Should().Be(6);
        report.LongestGap.Should().Be(TimeSpan.FromMilliseconds(350));
        report.LongestGapStart.Should().Be(TimeSpan.FromMilliseconds(450));
        report.AnsweringAtEnd.Should().BeTrue();
        report.Failures.Select(f => f.SentAt.TotalMilliseconds).Should().Equal(500, 550, 600, 650, 700, 750);
        report.Failures.Should().OnlyContain(f => f.Error == "503 Service Unavailable" && f.Url == Url);
        report.ToString().Should().Be("26 requests in 1.3 s, 6 failed; longest gap without an answer 350 ms (from 0.450 s)");
    }

    [Fact]
    public async Task ARequestWithoutAnswer_FailsAtItsTimeout_AndAServiceStillDownAtTheEnd_CountsUntilTheEnd()
    {
        var time = new FakeTimeProvider();
        using var handler = new Service();
        using var client = new HttpClient(handler);
        var probe = HttpClientProbe.Start(new HttpClientProbeOptions { Url = Url, RequestTimeout = TimeSpan.FromMilliseconds(200) }, client, time);
        await RunAsync(probe, time, 2, first: true);
        handler.Hang = true;

        // Requests keep going out every 50 ms while earlier ones hang; each fails 200 ms after it was sent.
        for (var i = 0; i < 8; i++)
        {
            time.Advance(Tick);
            await Task.Yield();
        }

        (await Eventually.TrueAsync(() => probe.Report().Failed >= 4)).Should().BeTrue();
        var report = await StopAsync(probe, time);

        report.Failures.Should().NotBeEmpty().And.OnlyContain(f => f.Error == "timed out after 200 ms");
        report.AnsweringAtEnd.Should().BeFalse();
        report.LongestGapStart.Should().Be(TimeSpan.FromMilliseconds(50), "the last answer came at 50 ms");
        report.LongestGap.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(350), "from the last answer to the end");
    }

    [Fact]
    public async Task AServiceThatIsNotUpYet_CountsFromTheStartOfTheProbe()
    {
        var time = new FakeTimeProvider();
        using var handler = new Service { Status = HttpStatusCode.BadGateway };
        using var client = new HttpClient(handler);
        var probe = HttpClientProbe.Start(new HttpClientProbeOptions { Url = Url }, client, time);

        await RunAsync(probe, time, 4, first: true);    // failed: 0 … 150 ms
        handler.Status = HttpStatusCode.OK;
        await RunAsync(probe, time, 2);                 // answered at 200 and 250 ms
        var report = await probe.StopAsync();

        (report.Failed, report.LongestGap, report.LongestGapStart).Should().Be((4, TimeSpan.FromMilliseconds(200), TimeSpan.Zero));
    }

    [Fact]
    public async Task ResolveUrl_ChoosesWhereEachRequestGoes()
    {
        var time = new FakeTimeProvider();
        using var handler = new Service();
        using var client = new HttpClient(handler);
        var owner = "node1";
        var probe = HttpClientProbe.Start(new HttpClientProbeOptions { ResolveUrl = _ => ValueTask.FromResult(new Uri($"http://{owner}.test/")) }, client, time);
        await RunAsync(probe, time, 2, first: true);
        owner = "node2";
        await RunAsync(probe, time, 2);
        await probe.StopAsync();

        handler.Hosts.Should().Equal("node1.test", "node1.test", "node2.test", "node2.test");
    }

    [Fact]
    public void Start_WithoutAUrl_SaysWhatIsMissing()
    {
        var act = () => HttpClientProbe.Start(new HttpClientProbeOptions());

        act.Should().Throw<ArgumentException>().WithMessage("Set Url or ResolveUrl: where the probe's requests go.*");
    }

    /// <summary>Lets <paramref name="count"/> more requests finish, one per tick; with <paramref name="first"/>, the first is the one sent at the start.</summary>
    private static async Task RunAsync(HttpClientProbe probe, FakeTimeProvider time, int count, bool first = false)
    {
        var done = first ? 0 : probe.Report().Requests;
        for (var i = 0; i < count; i++)
        {
            if (!(first && i == 0))
            {
                time.Advance(Tick);
            }

            var expected = done + i + 1;
            (await Eventually.TrueAsync(() => probe.Report().Requests >= expected)).Should().BeTrue("each tick sends one request, which finishes at once");
        }

        probe.Report().Requests.Should().Be(done + count);
    }

    private static async Task<ClientProbeReport> StopAsync(HttpClientProbe probe, FakeTimeProvider time)
    {
        var stopping = probe.StopAsync();
        while (!stopping.IsCompleted)
        {
            time.Advance(Tick);
            await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System));
        }

        return await stopping;
    }

    /// <summary>The service: answers with <see cref="Status"/> at once, or never (until cancelled) while <see cref="Hang"/>.</summary>
    private sealed class Service : HttpMessageHandler
    {
        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public bool Hang { get; set; }

        public List<string> Hosts { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Hosts)
            {
                Hosts.Add(request.RequestUri!.Host);
            }

            if (Hang)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
            }

            return new HttpResponseMessage(Status) { RequestMessage = request };
        }
    }
}
