using ClusterPro.Samples.ConsoleHost.Ocf;

namespace ClusterPro.Ocf.Tests;

/// <summary>ocf:clusterpro:awseip and ocf:clusterpro:awsdns, in-process against the emulator's canonical scenario.</summary>
public sealed class EipAndDnsAgentTests : IAsyncLifetime
{
    private Agents _a = null!;

    public async Task InitializeAsync() => _a = await Agents.StartAsync();

    public async Task DisposeAsync() => await _a.DisposeAsync();

    [Fact]
    public async Task Eip_StartMonitorStop_AssociatesHereAndDisassociates()
    {
        var eip = OcfAgentKind.ElasticIp;

        var start = await _a.RunAsync(eip, "start", _a.Eip());
        var associated = _a.Emulator.Inspect.AddressTarget(_a.S.EipAllocationId);
        var monitor = await _a.RunAsync(eip, "monitor", _a.Eip());
        var stop = await _a.RunAsync(eip, "stop", _a.Eip());
        var after = await _a.RunAsync(eip, "monitor", _a.Eip());

        start.Code.Should().Be(OcfExitCode.Success, start.Error);
        associated.Should().Be(_a.S.Node2.EniId);
        monitor.Code.Should().Be(OcfExitCode.Success, monitor.Error);
        stop.Code.Should().Be(OcfExitCode.Success, stop.Error);
        _a.Emulator.Inspect.AddressTarget(_a.S.EipAllocationId).Should().BeNull();
        after.Code.Should().Be(OcfExitCode.NotRunning);
    }

    [Fact]
    public async Task Eip_MovedToAnotherNode_MonitorIsOcfErrGeneric_AndStopLeavesItThere()
    {
        var eip = OcfAgentKind.ElasticIp;
        (await _a.RunAsync(eip, "start", _a.Eip())).Code.Should().Be(OcfExitCode.Success);
        _a.Emulator.Drift.MoveAddress(_a.S.EipAllocationId, _a.S.Node1.EniId);

        var monitor = await _a.RunAsync(eip, "monitor", _a.Eip());
        var stop = await _a.RunAsync(eip, "stop", _a.Eip());

        monitor.Code.Should().Be(OcfExitCode.Generic);
        monitor.Error.Should().Contain($"52: The EIP address does not exist. (EIP ALLOCATION ID={_a.S.EipAllocationId})");
        stop.Code.Should().Be(OcfExitCode.Success);
        _a.Emulator.Inspect.AddressTarget(_a.S.EipAllocationId).Should().Be(_a.S.Node1.EniId, "an association elsewhere is left alone");
    }

    [Fact]
    public async Task Eip_UnknownAllocation_IsOcfErrConfigured()
    {
        var start = await _a.RunAsync(OcfAgentKind.ElasticIp, "start", _a.Eip(("allocation_id", "eipalloc-0000000000000dead")));

        start.Code.Should().Be(OcfExitCode.Configured, start.Error);
    }

    [Fact]
    public async Task Dns_StartMonitorStop_UpsertsTheRecordAndDeletesIt()
    {
        var dns = OcfAgentKind.Dns;

        var start = await _a.RunAsync(dns, "start", _a.Dns());
        var record = _a.Emulator.Inspect.Record(_a.S.HostedZoneId, "srv.hz1.local.");
        var monitor = await _a.RunAsync(dns, "monitor", _a.Dns());
        var stop = await _a.RunAsync(dns, "stop", _a.Dns());
        var after = await _a.RunAsync(dns, "monitor", _a.Dns());

        start.Code.Should().Be(OcfExitCode.Success, start.Error);
        record.Should().NotBeNull();
        record!.Value.Values.Should().Equal(_a.S.Node2.PrivateIp);
        record.Value.Ttl.Should().Be(60);
        monitor.Code.Should().Be(OcfExitCode.Success, monitor.Error);
        stop.Code.Should().Be(OcfExitCode.Success, stop.Error);
        _a.Emulator.Inspect.Record(_a.S.HostedZoneId, "srv.hz1.local.").Should().BeNull();
        after.Code.Should().Be(OcfExitCode.NotRunning);
    }

    [Fact]
    public async Task Dns_DeleteOnStopFalse_KeepsTheRecord_AndTheResourceIsStillStopped()
    {
        var dns = OcfAgentKind.Dns;
        (await _a.RunAsync(dns, "start", _a.Dns(("delete_on_stop", "false")))).Code.Should().Be(OcfExitCode.Success);

        var stop = await _a.RunAsync(dns, "stop", _a.Dns(("delete_on_stop", "no")));
        var after = await _a.RunAsync(dns, "monitor", _a.Dns(("delete_on_stop", "no")));

        stop.Code.Should().Be(OcfExitCode.Success);
        _a.Emulator.Inspect.Record(_a.S.HostedZoneId, "srv.hz1.local.").Should().NotBeNull();
        after.Code.Should().Be(OcfExitCode.NotRunning);
    }

    [Fact]
    public async Task Dns_EmptyAddress_PublishesThisInstancesPrivateIp()
    {
        var imds = await _a.Emulator.StartInstanceMetadataAsync(_a.S.Node2.InstanceId);

        var start = await _a.RunAsync(OcfAgentKind.Dns, "start", _a.Dns(("address", string.Empty)), new() { ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.ToString() });

        start.Code.Should().Be(OcfExitCode.Success, start.Error);
        _a.Emulator.Inspect.Record(_a.S.HostedZoneId, "srv.hz1.local.")!.Value.Values.Should().Equal(_a.S.Node2.PrivateIp);
    }

    [Fact]
    public async Task Dns_RecordChangedByHand_MonitorIsOcfErrGeneric()
    {
        var dns = OcfAgentKind.Dns;
        (await _a.RunAsync(dns, "start", _a.Dns())).Code.Should().Be(OcfExitCode.Success);
        _a.Emulator.Drift.SetRecord(_a.S.HostedZoneId, "srv.hz1.local.", "10.9.9.9");

        var monitor = await _a.RunAsync(dns, "monitor", _a.Dns());

        monitor.Code.Should().Be(OcfExitCode.Generic);
        monitor.Error.Should().Contain("53:");
    }

    [Theory]
    [InlineData("ttl", "five", "OCF parameter 'ttl' is 'five', which is not a whole number")]
    [InlineData("ttl", "-1", "OCF parameter 'ttl' is -1")]
    [InlineData("delete_on_stop", "maybe", "OCF parameter 'delete_on_stop' is 'maybe', which is not a boolean")]
    [InlineData("name_servers", "10.0.0.2 dns.example", "OCF parameter 'name_servers' is '10.0.0.2 dns.example', and 'dns.example' is not an address")]
    [InlineData("hosted_zone_id", "", "OCF parameter 'hosted_zone_id'")]
    public async Task Dns_BadParameter_IsOcfErrConfigured_NamingIt(string name, string value, string message)
    {
        var validate = await _a.RunAsync(OcfAgentKind.Dns, "validate-all", _a.Dns((name, value)));

        validate.Code.Should().Be(OcfExitCode.Configured);
        validate.Error.Should().Contain(message);
    }

    [Fact]
    public async Task Dns_UnknownZone_IsOcfErrConfigured()
    {
        var start = await _a.RunAsync(OcfAgentKind.Dns, "start", _a.Dns(("hosted_zone_id", "Z0000000000000000DEAD")));

        start.Code.Should().Be(OcfExitCode.Configured, start.Error);
    }
}
