using ClusterPro.Aws.AvailabilityZone;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClusterPro.Aws.Tests.AvailabilityZone;

public class AwsAzMonitorTests
{
    private static Task<AwsCluster> StartAsync(Action<AwsAzMonitorOptions>? extra = null, bool fakeTime = false) =>
        AwsCluster.StartAsync(
            (b, s) => b.AddAwsAzMonitor("awsazw1", o =>
            {
                o.AvailabilityZone = new PerNode<string>().For("node1", s.Node1.AvailabilityZone).For("node2", s.Node2.AvailabilityZone);
                extra?.Invoke(o);
            }),
            fakeTime,
            cfg => cfg.MaxErrorRetry = 0);

    [Theory]
    [InlineData("available", MonitorStatus.Normal, 0)]
    [InlineData("impaired", MonitorStatus.Warning, 105)]
    [InlineData("information", MonitorStatus.Warning, 105)]
    [InlineData("unavailable", MonitorStatus.Error, 5)]
    public async Task CheckAsync_ReportsTheZoneState(string state, MonitorStatus status, int code)
    {
        await using var c = await StartAsync();
        c.Emulator.Drift.SetZoneState(c.S.Node1.AvailabilityZone, state);

        var node1 = await c.CheckAsync("awsazw1", "node1");
        var node2 = await c.CheckAsync("awsazw1", "node2");

        node1.Status.Should().Be(status);
        node1.Code.Should().Be(code);
        node2.Status.Should().Be(MonitorStatus.Normal, "each node watches its own zone");
    }

    [Fact]
    public async Task CheckAsync_UnknownZone_IsError5InvalidAvailabilityZone()
    {
        await using var c = await StartAsync(o => o.AvailabilityZone = "ap-northeast-1z");

        var result = await c.CheckAsync("awsazw1", "node1");

        result.Should().Be(MonitorResult.Error(5, "Invalid availability zone: [ap-northeast-1z]"));
    }

    [Theory]
    [InlineData(AwsApiFailureAction.Silent, MonitorStatus.Unknown, 0)]
    [InlineData(AwsApiFailureAction.Warn, MonitorStatus.Warning, 106)]
    [InlineData(AwsApiFailureAction.Recover, MonitorStatus.Error, 6)]
    public async Task CheckAsync_Hang_IsTheTimeoutCode_PerTheNoAnswerAction(AwsApiFailureAction action, MonitorStatus status, int code)
    {
        await using var c = await StartAsync(o => { o.MonitorApiFailureAction = action; o.AwsCallTimeout = TimeSpan.FromSeconds(30); }, fakeTime: true);
        var hang = c.Emulator.Faults.Hang("DescribeAvailabilityZones");

        var check = c.CheckAsync("awsazw1", "node1");
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        c.Time!.Advance(TimeSpan.FromSeconds(30));
        var result = await check;

        result.Status.Should().Be(status);
        result.Code.Should().Be(code);
    }

    [Fact]
    public async Task CheckAsync_Throttled_WithWarn_IsWarning105()
    {
        await using var c = await StartAsync(o => o.MonitorApiFailureAction = AwsApiFailureAction.Warn);
        c.Emulator.Faults.Throttle("DescribeAvailabilityZones", 1);

        var result = await c.CheckAsync("awsazw1", "node1");

        result.Status.Should().Be(MonitorStatus.Warning);
        result.Code.Should().Be(105);
        result.Message.Should().StartWith("Failed in the AWS API call.");
    }

    [Fact]
    public async Task AddAwsAzMonitor_RecoversLocalServer_ByDefault()
    {
        await using var c = await StartAsync();

        var options = c.Services.GetRequiredService<IOptions<ClusterProOptions>>().Value.Monitors["awsazw1"];

        options.Recovery.TargetKind.Should().Be(RecoveryTargetKind.LocalServer);
    }
}
