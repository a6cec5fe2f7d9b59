using System.Net;
using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Discovery;
using ClusterPro.Aws.Testing;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Aws.Tests.Dns;
using ClusterPro.Aws.Tests.ElasticIp;
using ClusterPro.Aws.Tests.SecondaryIp;
using ClusterPro.Aws.Tests.VirtualIp;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterPro.Aws.Tests;

/// <summary>Faults end to end: each asserts the result code, the message and the AWS state afterwards.</summary>
public class FaultSuiteTests
{
    [Fact]
    public async Task ThrottlingStorm_OnEveryCall_IsAbsorbedByTheSdkRetry()
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip());
        foreach (var operation in new[] { "DescribeVpcs", "DescribeRouteTables", "ReplaceRoute" })
        {
            c.Emulator.Faults.Throttle(operation, 2);
        }


        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Succeeded.Should().BeTrue(result.ToString());
        c.S.VipRouteTables.Should().OnlyContain(t => c.Emulator.Inspect.RouteTarget(t, c.S.VipCidr, null) == c.S.Node2.EniId);
        c.Emulator.Calls.Count(x => x.ErrorCode == "RequestLimitExceeded").Should().Be(6);
    }

    [Fact]
    public async Task LatencyAboveTheCallTimeout_OnOneTable_IsTheTimeoutCode_AndSaysWhichTablesMoved()
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip(o => o.AwsCallTimeout = TimeSpan.FromSeconds(1)), client: cfg => cfg.MaxErrorRetry = 0);
        var s = c.S;
        c.Emulator.Faults.Add(new FaultRule { Operation = "ReplaceRoute", Kind = FaultKind.Latency, Latency = TimeSpan.FromSeconds(30), ResourceId = s.RouteTablePrivateB });

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Code.Should().Be(1);
        result.Message.Should().StartWith("Command was not completed within 1 seconds.").And.Contain($"unconfirmed (no answer, may have moved) in: {s.RouteTablePrivateB} (was {s.Node1.EniId})");
        result.Changes.Should().HaveCount(2, "the two tables that moved are reported");
        c.Emulator.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node2.EniId);
    }

    [Fact]
    public async Task ServerErrors_OnceAreRetried_PersistentAreTheApiFailureCode()
    {
        await using var c = await AwsCluster.StartAsync(ElasticIp.AwsElasticIpTests.Eip(), client: cfg => cfg.MaxErrorRetry = 2);
        c.Emulator.Faults.Error("AssociateAddress", "InternalError", count: 1);
        (await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"))).Succeeded.Should().BeTrue();

        c.Emulator.Faults.Error("AssociateAddress", "InternalError");
        var failed = await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node2"));

        failed.Code.Should().Be(50);
        failed.Message.Should().StartWith("Failed in the AWS API call. (InternalError: An internal error has occurred)");
        c.Emulator.Inspect.AddressTarget(c.S.EipAllocationId).Should().Be(c.S.Node1.EniId, "nothing moved");
    }

    [Fact]
    public async Task ConnectionResets_OnceAreRetried_PersistentAreTheApiFailureCode()
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip(), client: cfg => cfg.MaxErrorRetry = 2);
        c.Emulator.Faults.Reset("DescribeRouteTables", count: 1);
        (await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"))).Succeeded.Should().BeTrue();

        c.Emulator.Faults.Reset("DescribeRouteTables");
        var failed = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));

        failed.Code.Should().Be(50);
        failed.Message.Should().StartWith("Failed in the AWS API call.");
        c.Emulator.Inspect.RouteTarget(c.S.RouteTablePublicAB, c.S.VipCidr).Should().Be(c.S.Node2.EniId);
    }

    [Theory]
    [InlineData(AwsApiFailureAction.Silent, MonitorStatus.Unknown, 0)]
    [InlineData(AwsApiFailureAction.Warn, MonitorStatus.Warning, 150)]
    [InlineData(AwsApiFailureAction.Recover, MonitorStatus.Error, 50)]
    public async Task EndpointDown_ForEachMonitor_FollowsItsNoAnswerAction(AwsApiFailureAction action, MonitorStatus status, int code)
    {
        await using var c = await AwsCluster.StartAsync(
            (b, s) =>
            {
                AwsElasticIpTests.Eip(o => o.MonitorApiFailureAction = action)(b, s);
                AwsDnsTests.Dns((o, _) => o.MonitorApiFailureAction = action)(b, s);
                AwsSecondaryIpTests.Sip()(b, s);
            },
            client: cfg => cfg.MaxErrorRetry = 0);
        await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"));
        c.Emulator.Faults.EndpointDown = true;

        var eip = await c.CheckAsync("awseipw1", "node1");
        var dns = await c.CheckAsync("awsdnsw1", "node1");

        foreach (var result in new[] { eip, dns })
        {
            result.Status.Should().Be(status);
            result.Code.Should().Be(code);
        }
    }

    [Fact]
    public async Task TwoNodesActivatingAtOnce_TheLastWriterOwnsEveryRoute_AndTheLosersMonitorReports56()
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip());
        var s = c.S;
        using var ec2 = c.Emulator.CreateEc2Client();
        var third = (await ec2.CreateNetworkInterfaceAsync(new Amazon.EC2.Model.CreateNetworkInterfaceRequest { SubnetId = s.PrivateSubnetA })).NetworkInterface.NetworkInterfaceId;
        foreach (var table in s.VipRouteTables)
        {
            c.Emulator.Drift.RetargetRoute(table, s.VipCidr, third);
        }

        c.Emulator.Faults.Add(new FaultRule { Operation = "ReplaceRoute", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(300), ResourceId = s.Node2.EniId });

        var both = await Task.WhenAll(
            c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1")),
            c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2")));
        var node1 = await c.CheckAsync("awsvipw1", "node1");
        var node2 = await c.CheckAsync("awsvipw1", "node2");

        both.Should().OnlyContain(r => r.Succeeded);
        s.VipRouteTables.Should().OnlyContain(t => c.Emulator.Inspect.RouteTarget(t, s.VipCidr, null) == s.Node2.EniId, "node2's writes landed last");
        node2.Status.Should().Be(MonitorStatus.Normal);
        node1.Should().Be(MonitorResult.Error(56, "The routing for VIP 10.1.0.20 was changed."));
    }

    [Theory]
    [InlineData("awsvip1")]
    [InlineData("awseip1")]
    [InlineData("awsdns1")]
    [InlineData("awssip1")]
    public async Task DriftOfEveryKind_IsRepairedByTheRecoveryLadder(string resource)
    {
        await using var c = await AwsCluster.StartAsync((b, s) =>
        {
            AwsVirtualIpResourceTests.Vip()(b, s);
            AwsElasticIpTests.Eip()(b, s);
            AwsDnsTests.Dns()(b, s);
            AwsSecondaryIpTests.Sip()(b, s);
        });
        var s = c.S;
        var factory = c.Services.GetRequiredService<ClusterProFactory>();
        var group = factory.CreateGroup("failover1");
        (await group.ActivateAsync("node1")).Succeeded.Should().BeTrue();
        var monitorName = AwsClusterProBuilderExtensions.MonitorNameFor(resource);
        factory.Options.Monitors[monitorName].RetryCount = 0;
        var runner = factory.CreateMonitorRunner(monitorName, "node1", new GroupActions(group, "node1"));
        switch (resource)
        {
            case "awsvip1": c.Emulator.Drift.RetargetRoute(s.RouteTablePrivateA, s.VipCidr, s.Node2.EniId); break;
            case "awseip1": c.Emulator.Drift.MoveAddress(s.EipAllocationId, s.Node2.EniId); break;
            case "awsdns1": c.Emulator.Drift.SetRecord(s.HostedZoneId, s.RecordName, "10.9.9.9"); break;
            default: c.Emulator.Drift.UnassignPrivateIp(s.Node1.EniId, "10.0.110.50"); break;
        }

        var detected = await runner.RunCycleAsync();
        var after = await runner.RunCycleAsync();

        detected.Reported.Status.Should().Be(MonitorStatus.Error);
        detected.Recovery.Should().Be(RecoveryStep.Reactivate);
        after.Reported.Status.Should().Be(MonitorStatus.Normal, $"{resource} was reactivated and the drift repaired");
    }

    [Fact]
    public async Task SlowInstanceMetadataAtStart_IsWaitedFor_WithinItsTimeout()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1 });
        using var http = new HttpClient();
        var endpoint = await emu.StartInstanceMetadataAsync(emu.Scenario!.Node1.InstanceId);
        emu.Faults.Add(new FaultRule { Operation = "IMDS", Kind = FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(200), Count = 3 });

        var identity = await new InstanceMetadataClient(http, new InstanceMetadataOptions { Endpoint = endpoint, Timeout = TimeSpan.FromSeconds(5) }).GetIdentityAsync();

        identity.InstanceId.Should().Be(emu.Scenario.Node1.InstanceId);
    }

    [Fact]
    public async Task EmulatorRestartedMidOperation_TheCallFails_AndTheNextActivationCompletes()
    {
        var port = FreeTcpPort();
        var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1, Port = port });
        var s = emu.Scenario!;
        using var ec2 = Emulators(emu);
        var resource = VipOn(ec2, s);
        var hang = emu.Faults.Hang("ReplaceRoute");

        var activation = resource.ActivateAsync(new ResourceContext("node2", "failover1"));
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        await emu.DisposeAsync();
        var failed = await activation;
        await using var restarted = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1, Port = port });
        var completed = await resource.ActivateAsync(new ResourceContext("node2", "failover1"));

        failed.Code.Should().Be(50);
        failed.Message.Should().StartWith("Failed in the AWS API call.");
        restarted.Scenario!.VpcId.Should().Be(s.VpcId, "the emulator reseeds the same scenario");
        completed.Succeeded.Should().BeTrue(completed.ToString());
        s.VipRouteTables.Should().OnlyContain(t => restarted.Inspect.RouteTarget(t, s.VipCidr, null) == s.Node2.EniId);
    }

    private static Amazon.EC2.AmazonEC2Client Emulators(AwsEmulator emu)
    {
        var config = emu.CreateEc2Config();
        config.MaxErrorRetry = 0;
        return new Amazon.EC2.AmazonEC2Client(emu.Credentials, config);
    }

    private static ClusterPro.Aws.VirtualIp.AwsVirtualIpResource VipOn(Amazon.EC2.IAmazonEC2 ec2, Testing.Scenarios.CanonicalScenario s) => new(
        "awsvip1",
        new ClusterPro.Aws.VirtualIp.AwsVirtualIpOptions { Ip = s.Vip, VpcId = s.VpcId, EniId = AwsCluster.Enis(s), AwsCallTimeout = TimeSpan.FromSeconds(30) },
        ec2,
        new InMemoryHostAddressManager(),
        TimeProvider.System,
        Microsoft.Extensions.Logging.Abstractions.NullLogger<ClusterPro.Aws.VirtualIp.AwsVirtualIpResource>.Instance);

    private static int FreeTcpPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class GroupActions(ClusterPro.Groups.FailoverGroup group, string node) : IRecoveryActions
    {
        public bool IsAnyOtherNodeHealthy => true;

        public bool IsActive(RecoveryTarget target) => group.IsResourceActive(target.Name);

        public bool IsResourceActive(string resourceName) => group.IsResourceActive(resourceName);

        public async Task<bool> ReactivateAsync(RecoveryTarget target, CancellationToken cancellationToken = default) =>
            (await group.ReactivateResourceAsync(target.Name, node, cancellationToken)).Succeeded;

        public Task<bool> RequestFailoverAsync(RecoveryTarget target, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task ExecuteFinalActionAsync(ClusterPro.Failover.FinalActionRequest request, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
