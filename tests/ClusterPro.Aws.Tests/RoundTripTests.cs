using System.Reflection;
using Amazon.EC2;
using ClusterPro.Aws.Host;
using ClusterPro.Aws.Internal;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Aws.Tests.Dns;
using ClusterPro.Aws.Tests.ElasticIp;
using ClusterPro.Aws.Tests.VirtualIp;
using Microsoft.Extensions.Logging;

namespace ClusterPro.Aws.Tests;

/// <summary>How many round trips a switchover takes, counted by the emulator over the real SDK and HTTP.</summary>
public class RoundTripTests
{
    private static async Task<List<string>> AddTablesAsync(AwsCluster c, int tables)
    {
        using var ec2 = c.Emulator.CreateEc2Client();
        var all = c.S.VipRouteTables.ToList();
        for (var i = all.Count; i < tables; i++)
        {
            var table = await ec2.CreateRouteTableAsync(new Amazon.EC2.Model.CreateRouteTableRequest { VpcId = c.S.VpcId });
            await ec2.CreateRouteAsync(new Amazon.EC2.Model.CreateRouteRequest { RouteTableId = table.RouteTable.RouteTableId, DestinationCidrBlock = c.S.VipCidr, NetworkInterfaceId = c.S.Node1.EniId });
            all.Add(table.RouteTable.RouteTableId);
        }

        return all;
    }

    [Fact]
    public async Task Vip_50Tables_OneDescribeThenEveryReplaceInFlightAtOnce()
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip());
        var tables = await AddTablesAsync(c, 50);
        (await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"))).Succeeded.Should().BeTrue("the first activation checks the VPC CIDR");
        c.Emulator.ClearCalls();
        var hung = tables.Select(t => c.Emulator.Faults.Add(new FaultRule { Operation = "ReplaceRoute", Kind = FaultKind.Hang, Count = 1, ResourceId = t })).ToList();
        using var cts = new CancellationTokenSource();

        var activation = c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"), cts.Token);
        await Task.WhenAll(hung.Select(h => h.Triggered)).WaitAsync(TimeSpan.FromSeconds(60));
        var inFlight = c.Emulator.Calls.Select(x => x.Operation).ToList();
        await cts.CancelAsync();

        inFlight.Should().HaveCount(51).And.StartWith("DescribeRouteTables");
        inFlight.Skip(1).Should().OnlyContain(o => o == "ReplaceRoute", "all 50 ReplaceRoute calls were sent before any was answered: one round");
        await activation.Invoking(a => a).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Vip_50Tables_SwitchoverIsOneDescribeAnd50Replaces_AndSwitchingBackTheSame()
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip());
        var tables = await AddTablesAsync(c, 50);
        await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));
        c.Emulator.ClearCalls();

        var there = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));
        var thereCalls = c.Emulator.Calls.Select(x => x.Operation).ToList();
        c.Emulator.ClearCalls();
        var back = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));

        there.Succeeded.Should().BeTrue(there.ToString());
        there.Changes.Where(x => x.StartsWith("rtb-", StringComparison.Ordinal)).Should().HaveCount(50);
        thereCalls.Should().HaveCount(51).And.StartWith("DescribeRouteTables");
        back.Succeeded.Should().BeTrue(back.ToString());
        c.Emulator.CountCalls("DescribeRouteTables").Should().Be(1);
        c.Emulator.CountCalls("ReplaceRoute").Should().Be(50);
        c.Emulator.CountCalls("DescribeVpcs").Should().Be(0, "the CIDR check is not part of every switchover");
        tables.Should().OnlyContain(t => c.Emulator.Inspect.RouteTarget(t, c.S.VipCidr, null) == c.S.Node1.EniId);
    }

    [Fact]
    public async Task Vip_PartialFailure_AmongFiftyTables_NamesEveryTableAndWhereItPoints()
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip());
        var tables = await AddTablesAsync(c, 50);
        await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));
        c.Emulator.Faults.Deny("ReplaceRoute", tables[7]);
        c.Emulator.Faults.Deny("ReplaceRoute", tables[42]);

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Succeeded.Should().BeFalse();
        result.Code.Should().Be(50);
        result.Message.Should().StartWith("You are not authorized to perform this operation.");
        result.Message.Should().Contain($"still elsewhere in: {tables[7]} ({c.S.Node1.EniId}), {tables[42]} ({c.S.Node1.EniId})");
        result.Changes.Should().HaveCount(48).And.OnlyContain(x => x.EndsWith($"-> {c.S.Node2.EniId}", StringComparison.Ordinal));
        tables.Where((_, i) => i is not (7 or 42)).Should().OnlyContain(t => c.Emulator.Inspect.RouteTarget(t, c.S.VipCidr, null) == c.S.Node2.EniId);
        c.Emulator.Inspect.RouteTarget(tables[7], c.S.VipCidr, null).Should().Be(c.S.Node1.EniId);
    }

    [Fact]
    public async Task Vip_BeyondTheBound_TakesOneMoreRoundPerBound()
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip(o => o.MaxConcurrentRouteUpdates = 4));
        var tables = await AddTablesAsync(c, 10);
        await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));
        c.Emulator.ClearCalls();
        var hung = tables.Select(t => c.Emulator.Faults.Add(new FaultRule { Operation = "ReplaceRoute", Kind = FaultKind.Hang, Count = 1, ResourceId = t })).ToList();
        using var cts = new CancellationTokenSource();

        var activation = c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"), cts.Token);
        var four = new TaskCompletionSource();
        var started = 0;
        foreach (var h in hung)
        {
            _ = h.Triggered.ContinueWith(_ => { if (Interlocked.Increment(ref started) == 4) four.TrySetResult(); }, TaskScheduler.Default);
        }

        await four.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var inFlight = c.Emulator.CountCalls("ReplaceRoute");
        await cts.CancelAsync();

        inFlight.Should().Be(4, "MaxConcurrentRouteUpdates bounds the calls in flight; none is answered, so no fifth starts");
        await activation.Invoking(a => a).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Vip_Throttled_IsRetriedByTheSdk_InsideOneSwitchover()
    {
        await using var c = await AwsCluster.StartAsync(AwsVirtualIpResourceTests.Vip());
        await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node1"));
        c.Emulator.Faults.Throttle("ReplaceRoute", 2);
        c.Emulator.Faults.Throttle("DescribeRouteTables", 1);

        var result = await c.Resource("awsvip1").ActivateAsync(AwsCluster.On("node2"));

        result.Succeeded.Should().BeTrue(result.ToString());
        c.Emulator.Calls.Count(x => x.ErrorCode == "RequestLimitExceeded").Should().Be(3);
        c.S.VipRouteTables.Should().OnlyContain(t => c.Emulator.Inspect.RouteTarget(t, c.S.VipCidr, null) == c.S.Node2.EniId);
    }

    [Fact]
    public async Task Eip_ActivateAndDeactivate_AreOneCallEach()
    {
        await using var c = await AwsCluster.StartAsync(AwsElasticIpTests.Eip());
        c.Emulator.ClearCalls();

        var up = await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"));
        var upCalls = c.Emulator.Calls.Select(x => x.Operation).ToList();
        c.Emulator.ClearCalls();
        var down = await c.Resource("awseip1").DeactivateAsync(AwsCluster.On("node1"));

        up.Succeeded.Should().BeTrue(up.ToString());
        up.Changes.Should().ContainSingle().Which.Should().StartWith($"{c.S.EipAllocationId}: (not read) -> {c.S.Node1.EniId} (eipassoc-");
        up.Message.Should().Contain("was not read");
        upCalls.Should().Equal("AssociateAddress");
        down.Changes.Should().Equal($"{c.S.EipAllocationId}: {c.S.Node1.EniId} -> (none)");
        c.Emulator.Calls.Select(x => x.Operation).Should().Equal("DisassociateAddress");
        c.Emulator.Inspect.AddressTarget(c.S.EipAllocationId).Should().BeNull();
    }

    [Fact]
    public async Task Eip_DeactivateAfterItMoved_LeavesTheOtherAssociationAlone()
    {
        await using var c = await AwsCluster.StartAsync(AwsElasticIpTests.Eip());
        await c.Resource("awseip1").ActivateAsync(AwsCluster.On("node1"));
        using var ec2 = c.Emulator.CreateEc2Client();
        await ec2.AssociateAddressAsync(new Amazon.EC2.Model.AssociateAddressRequest { AllocationId = c.S.EipAllocationId, NetworkInterfaceId = c.S.Node2.EniId, AllowReassociation = true });

        var down = await c.Resource("awseip1").DeactivateAsync(AwsCluster.On("node1"));

        down.Succeeded.Should().BeTrue(down.ToString());
        down.Changes.Should().BeEmpty();
        c.Emulator.Inspect.AddressTarget(c.S.EipAllocationId).Should().Be(c.S.Node2.EniId);
    }

    [Fact]
    public async Task Dns_ActivateAndDeactivate_AreOneCallEach()
    {
        await using var c = await AwsCluster.StartAsync(AwsDnsTests.Dns());
        c.Emulator.ClearCalls();

        var up = await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node2"));
        var upCalls = c.Emulator.Calls.Select(x => x.Operation).ToList();
        c.Emulator.ClearCalls();
        var down = await c.Resource("awsdns1").DeactivateAsync(AwsCluster.On("node2"));

        up.Changes.Should().Equal("srv.hz1.local. A (not read) -> 10.0.120.101 (TTL 300)");
        upCalls.Should().Equal("ChangeResourceRecordSets");
        down.Changes.Should().Equal("srv.hz1.local. A 10.0.120.101 (TTL 300) deleted");
        c.Emulator.Calls.Select(x => x.Operation).Should().Equal("ChangeResourceRecordSets");
    }

    [Fact]
    public async Task Dns_DeactivateAfterTheRecordChanged_ReadsAndDeletesWhatIsThere_OnlyIfItIsOurs()
    {
        await using var c = await AwsCluster.StartAsync(AwsDnsTests.Dns());
        await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node2"));
        c.Emulator.Drift.SetRecord(c.S.HostedZoneId, c.S.RecordName, "10.0.110.100", 60);
        c.Emulator.ClearCalls();

        var down = await c.Resource("awsdns1").DeactivateAsync(AwsCluster.On("node2"));

        down.Succeeded.Should().BeTrue(down.ToString());
        down.Changes.Should().BeEmpty("the record now holds node1's IP");
        c.Emulator.Calls.Select(x => x.Operation).Should().Equal("ChangeResourceRecordSets", "ListResourceRecordSets");
        c.Emulator.Inspect.Record(c.S.HostedZoneId, c.S.RecordName)!.Value.Values.Should().Equal("10.0.110.100");
    }

    [Fact]
    public void Log_EveryEventHasItsOwnId()
    {
        var ids = typeof(AwsCall).Assembly.GetType("ClusterPro.Aws.Internal.Log")!
            .GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToList();

        ids.Should().NotBeEmpty();
        ids.Select(a => a.EventId).Should().OnlyHaveUniqueItems();
        ids.Select(a => a.EventName).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void LinuxHostAddressManager_PinsAnAbsoluteIpPath_AndRejectsBadNamespaces()
    {
        new LinuxHostAddressManager().IpCommand.Should().StartWith("/").And.EndWith("/ip");
        LinuxHostAddressManager.SystemIpPaths.Should().OnlyContain(p => p.StartsWith('/'));
        var relative = () => new LinuxHostAddressManager(ipCommand: "ip");
        relative.Should().Throw<ArgumentException>().WithMessage("*not an absolute path*");
        foreach (var bad in new[] { "", "..", "a/b", "x y", new string('n', 65) })
        {
            var act = () => new LinuxHostAddressManager(bad);
            act.Should().Throw<ArgumentException>().WithMessage("*namespace*");
        }

        new LinuxHostAddressManager("cpro-test_1.a").Should().NotBeNull();
    }
}
