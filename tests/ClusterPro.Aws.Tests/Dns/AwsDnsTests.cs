using ClusterPro.Aws.DependencyInjection;
using ClusterPro.Aws.Dns;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Aws.Testing.Scenarios;
using ClusterPro.DependencyInjection;
using ClusterPro.Monitoring;
using ClusterPro.Resources;
using ClusterPro.TestSupport;

namespace ClusterPro.Aws.Tests.Dns;

public class AwsDnsTests : GroupResourceContractTests
{
    internal static Action<IClusterProBuilder, CanonicalScenario> Dns(Action<AwsDnsOptions, CanonicalScenario>? extra = null) => (b, s) =>
        b.AddAwsDns("failover1", "awsdns1", o =>
        {
            o.HostedZoneId = s.HostedZoneId;
            o.RecordName = s.RecordName;
            o.Ip = new PerNode<string>().For("node1", s.Node1.PrivateIp).For("node2", s.Node2.PrivateIp);
            o.CheckNameResolution = false;
            extra?.Invoke(o, s);
        });

    protected override async Task<GroupResourceFixture> CreateFixtureAsync()
    {
        var c = await AwsCluster.StartAsync(Dns());
        return new GroupResourceFixture(
            c.Resource("awsdns1"),
            AwsCluster.On("node2"),
            () => Task.FromResult(c.Emulator.Inspect.Record(c.S.HostedZoneId, c.S.RecordName)?.Values.SequenceEqual([c.S.Node2.PrivateIp]) == true),
            () =>
            {
                c.Emulator.Faults.Add(new FaultRule { Operation = "ChangeResourceRecordSets", Kind = FaultKind.Deny, Count = 1 });
                return Task.CompletedTask;
            },
            c.DisposeAsync);
    }

    [Fact]
    public async Task Failover_Node1ToNode2_TheRecordFollows_AndDeactivationDeletesIt()
    {
        await using var c = await AwsCluster.StartAsync(Dns());
        var s = c.S;

        var up1 = await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node1"));
        var down1 = await c.Resource("awsdns1").DeactivateAsync(AwsCluster.On("node1"));
        var up2 = await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node2"));

        up1.Changes.Should().Equal(["srv.hz1.local. A (not read) -> 10.0.110.100 (TTL 300)"], "one call: nothing was read before the UPSERT");
        down1.Changes.Should().Equal("srv.hz1.local. A 10.0.110.100 (TTL 300) deleted");
        up2.Changes.Should().Equal(["srv.hz1.local. A (none) -> 10.0.120.101 (TTL 300)"], "the deactivation's DELETE said the set was gone");
        c.Emulator.Inspect.Record(s.HostedZoneId, s.RecordName)!.Value.Values.Should().Equal(s.Node2.PrivateIp);
    }

    [Fact]
    public async Task ActivateAsync_RecordLastSeenRight_IsOneUpsert_ReportedUnchanged()
    {
        await using var c = await AwsCluster.StartAsync(Dns());
        (await c.CheckAsync("awsdnsw1", "node1")).Status.Should().Be(ClusterPro.Monitoring.MonitorStatus.Normal);
        c.Emulator.ClearCalls();

        var result = await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node1"));

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Changes.Should().BeEmpty("the monitor last saw the record holding node1's IP with TTL 300");
        result.Message.Should().Contain("ListResourceRecordSets").And.Contain("s ago");
        c.Emulator.Calls.Select(x => x.Operation).Should().Equal("ChangeResourceRecordSets");
    }

    [Fact]
    public async Task DeactivateAsync_WithoutDelete_KeepsTheRecord()
    {
        await using var c = await AwsCluster.StartAsync(Dns((o, _) => o.DeleteOnDeactivate = false));

        var result = await c.Resource("awsdns1").DeactivateAsync(AwsCluster.On("node1"));

        result.Succeeded.Should().BeTrue();
        c.Emulator.Inspect.Record(c.S.HostedZoneId, c.S.RecordName).Should().NotBeNull();
    }

    [Fact]
    public async Task DeactivateAsync_AfterSomeoneChangedTheTtl_StillDeletes()
    {
        await using var c = await AwsCluster.StartAsync(Dns());
        c.Emulator.Drift.SetRecord(c.S.HostedZoneId, c.S.RecordName, c.S.Node1.PrivateIp, ttl: 42);

        var result = await c.Resource("awsdns1").DeactivateAsync(AwsCluster.On("node1"));

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Changes.Should().Equal("srv.hz1.local. A 10.0.110.100 (TTL 42) deleted");
        c.Emulator.Inspect.Record(c.S.HostedZoneId, c.S.RecordName).Should().BeNull();
    }

    [Fact]
    public async Task DeactivateAsync_RecordHoldsTheOtherNode_LeavesItAlone()
    {
        await using var c = await AwsCluster.StartAsync(Dns());
        await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node2"));

        var result = await c.Resource("awsdns1").DeactivateAsync(AwsCluster.On("node1"));

        result.Succeeded.Should().BeTrue();
        c.Emulator.Inspect.Record(c.S.HostedZoneId, c.S.RecordName)!.Value.Values.Should().Equal(c.S.Node2.PrivateIp);
    }

    [Fact]
    public async Task ActivateAsync_WaitForInsync_AgainstTheEmulator_ReportsInsync()
    {
        await using var c = await AwsCluster.StartAsync(Dns((o, _) => o.WaitForInsync = true));

        var result = await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node2"));

        result.Succeeded.Should().BeTrue(result.ToString());
        result.Message.Should().MatchRegex(@"^INSYNC after [0-9]+\.[0-9] s\.$", "the emulator answers INSYNC at once (how long that took is the machine's, not asserted)");
    }

    [Fact]
    public async Task ActivateAsync_UnknownZone_Is50NoHostedZoneFound()
    {
        await using var c = await AwsCluster.StartAsync(Dns((o, _) => o.HostedZoneId = "ZNOSUCHZONE00001"));

        var result = await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node1"));

        result.Should().BeEquivalentTo(new { Code = 50, Message = "No hosted zone found with ID: ZNOSUCHZONE00001" });
    }

    [Fact]
    public async Task ActivateAsync_ThrottlingIsAbsorbed()
    {
        await using var c = await AwsCluster.StartAsync(Dns());
        c.Emulator.Faults.Throttle("ChangeResourceRecordSets", 2);

        var result = await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node2"));

        result.Succeeded.Should().BeTrue(result.ToString());
    }

    [Fact]
    public async Task ActivateAsync_WrongSecret_SaysSo()
    {
        await using var c = await AwsCluster.StartAsync(Dns(), secret: "not-the-secret");

        var result = await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node2"));

        result.Code.Should().Be(50);
        result.Message.Should().Contain("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task ActivateAsync_UpperCaseAndDotlessName_IsNormalised()
    {
        await using var c = await AwsCluster.StartAsync(Dns((o, _) => o.RecordName = "SRV.HZ1.LOCAL"));

        var result = await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node2"));

        result.Succeeded.Should().BeTrue();
        c.Emulator.Inspect.Record(c.S.HostedZoneId, "srv.hz1.local.")!.Value.Values.Should().Equal(c.S.Node2.PrivateIp);
    }

    [Theory]
    [InlineData("srv..hz1.local", "has an empty label")]
    [InlineData("srv hz1.local", "has characters a DNS name cannot hold")]
    [InlineData("", "is empty")]
    [InlineData("srv", "a single label")]
    public void RecordNames_Malformed_AreRejectedWithTheReason(string name, string reason) =>
        RecordNames.Problem(name).Should().Contain(reason);

    [Fact]
    public async Task Monitor_RecordMissing52_WrongIp53_Normal()
    {
        await using var c = await AwsCluster.StartAsync(Dns());
        var normal = await c.CheckAsync("awsdnsw1", "node1");
        c.Emulator.Drift.SetRecord(c.S.HostedZoneId, c.S.RecordName, "10.9.9.9");
        var wrong = await c.CheckAsync("awsdnsw1", "node1");
        c.Emulator.Drift.DeleteRecord(c.S.HostedZoneId, c.S.RecordName);
        var missing = await c.CheckAsync("awsdnsw1", "node1");

        normal.Status.Should().Be(MonitorStatus.Normal);
        wrong.Should().Be(MonitorResult.Error(53, "IP address different from the setting is registered in the resource record set of Amazon Route 53."));
        missing.Should().Be(MonitorResult.Error(52, "The resource record set in Amazon Route 53 does not exist."));
    }

    [Fact]
    public async Task Monitor_NameResolution_StaleAnswerIs55_UntilThePropagationDelayHasPassed()
    {
        await using var c = await AwsCluster.StartAsync(
            (b, emu) => Dns((o, _) => { o.CheckNameResolution = true; o.NameServers.Add(emu.DnsEndpoint!.ToString()); })(b, emu.Scenario!), fakeTime: true, propagation: TimeSpan.FromSeconds(60));
        (await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node2"))).Succeeded.Should().BeTrue();

        var stale = await c.CheckAsync("awsdnsw1", "node2");
        c.Time!.Advance(TimeSpan.FromSeconds(60));
        var current = await c.CheckAsync("awsdnsw1", "node2");

        stale.Should().Be(MonitorResult.Error(55, "IP address which is resolved domain name from the DNS resolver is different from the setting."));
        current.Status.Should().Be(MonitorStatus.Normal);
    }

    [Fact]
    public async Task Monitor_NameResolution_NewNameIs54_UntilThePropagationDelayHasPassed()
    {
        await using var c = await AwsCluster.StartAsync(
            (b, emu) => Dns((o, _) => { o.RecordName = "app.hz1.local."; o.CheckNameResolution = true; o.NameServers.Add(emu.DnsEndpoint!.ToString()); })(b, emu.Scenario!), fakeTime: true, propagation: TimeSpan.FromSeconds(60));
        (await c.Resource("awsdns1").ActivateAsync(AwsCluster.On("node1"))).Succeeded.Should().BeTrue();

        var before = await c.CheckAsync("awsdnsw1", "node1");
        c.Time!.Advance(TimeSpan.FromSeconds(60));
        var after = await c.CheckAsync("awsdnsw1", "node1");

        before.Code.Should().Be(54);
        before.Message.Should().StartWith("Failed to resolve domain name.");
        after.Status.Should().Be(MonitorStatus.Normal);
    }

    [Theory]
    [InlineData(AwsApiFailureAction.Silent, MonitorStatus.Unknown, 0)]
    [InlineData(AwsApiFailureAction.Warn, MonitorStatus.Warning, 151)]
    [InlineData(AwsApiFailureAction.Recover, MonitorStatus.Error, 51)]
    public async Task Monitor_Route53Hangs_IsTheTimeoutCode_PerTheNoAnswerAction(AwsApiFailureAction action, MonitorStatus status, int code)
    {
        await using var c = await AwsCluster.StartAsync(Dns((o, _) => { o.MonitorApiFailureAction = action; o.AwsCallTimeout = TimeSpan.FromSeconds(30); }), fakeTime: true);
        var hang = c.Emulator.Faults.Hang("ListResourceRecordSets");

        var check = c.CheckAsync("awsdnsw1", "node1");
        await hang.Triggered.WaitAsync(TimeSpan.FromSeconds(30));
        c.Time!.Advance(TimeSpan.FromSeconds(30));
        var result = await check;

        result.Status.Should().Be(status);
        result.Code.Should().Be(code);
    }
}
