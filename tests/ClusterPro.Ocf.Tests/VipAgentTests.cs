using System.Net;
using ClusterPro.Aws.Testing.Faults;
using ClusterPro.Samples.ConsoleHost.Ocf;

namespace ClusterPro.Ocf.Tests;

/// <summary>ocf:clusterpro:awsvip's actions and exit codes, in-process against the emulator's canonical scenario.</summary>
public sealed class VipAgentTests : IAsyncLifetime
{
    private static readonly OcfAgentKind Vip = OcfAgentKind.Vip;
    private Agents _a = null!;

    public async Task InitializeAsync() => _a = await Agents.StartAsync();

    public async Task DisposeAsync() => await _a.DisposeAsync();

    [Fact]
    public async Task MonitorStartMonitorStopMonitor_MovesTheRoutesHere_AndAnswersNotRunningSuccessSuccessNotRunning()
    {
        var before = await _a.RunAsync(Vip, "monitor", _a.Vip());
        var start = await _a.RunAsync(Vip, "start", _a.Vip());
        var targets = _a.VipTargets();
        var running = await _a.RunAsync(Vip, "monitor", _a.Vip());
        var again = await _a.RunAsync(Vip, "start", _a.Vip());
        var stop = await _a.RunAsync(Vip, "stop", _a.Vip());
        var after = await _a.RunAsync(Vip, "monitor", _a.Vip());
        var stopAgain = await _a.RunAsync(Vip, "stop", _a.Vip());

        before.Code.Should().Be(OcfExitCode.NotRunning);
        start.Code.Should().Be(OcfExitCode.Success, start.Error);
        targets.Should().OnlyContain(t => t == _a.S.Node2.EniId);
        start.Error.Should().Contain($"{_a.S.RouteTablePrivateA}: 10.1.0.20/32 {_a.S.Node1.EniId} -> {_a.S.Node2.EniId}");
        start.Output.Should().BeEmpty("only meta-data writes to standard output");
        running.Code.Should().Be(OcfExitCode.Success, running.Error);
        again.Code.Should().Be(OcfExitCode.Success, "a start of a started resource succeeds");
        stop.Code.Should().Be(OcfExitCode.Success, stop.Error);
        _a.VipTargets().Should().OnlyContain(t => t == _a.S.Node2.EniId, "stop leaves the routes for the next node");
        after.Code.Should().Be(OcfExitCode.NotRunning);
        stopAgain.Code.Should().Be(OcfExitCode.Success, "a stop of a stopped resource succeeds");
    }

    [Fact]
    public async Task Monitor_ARouteMovedAway_IsOcfErrGeneric_WithTheExitReason()
    {
        (await _a.RunAsync(Vip, "start", _a.Vip())).Code.Should().Be(OcfExitCode.Success);
        _a.Emulator.Drift.RetargetRoute(_a.S.RouteTablePrivateB, _a.S.VipCidr, _a.S.Node1.EniId);

        var monitor = await _a.RunAsync(Vip, "monitor", _a.Vip(), new() { ["OCF_EXIT_REASON_PREFIX"] = "ocf-exit-reason:" });

        monitor.Code.Should().Be(OcfExitCode.Generic);
        monitor.Error.Should().Contain("ocf-exit-reason:56: The routing for VIP 10.1.0.20 was changed.");
    }

    [Fact]
    public async Task Monitor_AwsGivesNoAnswer_IsSuccessWhenSilent_AndOcfErrGenericWhenRecover()
    {
        (await _a.RunAsync(Vip, "start", _a.Vip())).Code.Should().Be(OcfExitCode.Success);
        _a.Emulator.Faults.EndpointDown = true;

        var silent = await _a.RunAsync(Vip, "monitor", _a.Vip());
        var recover = await _a.RunAsync(Vip, "monitor", _a.Vip(("api_failure", "recover")));

        silent.Code.Should().Be(OcfExitCode.Success, "an AWS outage never moves the resource by itself");
        silent.Error.Should().Contain("Unknown");
        recover.Code.Should().Be(OcfExitCode.Generic);
    }

    [Fact]
    public async Task Start_EmptyVpcAndEni_TakesThemFromThisInstancesMetadata()
    {
        var imds = await _a.Emulator.StartInstanceMetadataAsync(_a.S.Node2.InstanceId);

        var start = await _a.RunAsync(Vip, "start", _a.Vip(("vpc_id", string.Empty), ("eni_id", string.Empty)), new() { ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.ToString() });

        start.Code.Should().Be(OcfExitCode.Success, start.Error);
        _a.VipTargets().Should().OnlyContain(t => t == _a.S.Node2.EniId);
    }

    [Fact]
    public async Task Start_NoMetadataService_IsOcfErrGeneric_NamingTheParameters()
    {
        var start = await _a.RunAsync(Vip, "start", _a.Vip(("eni_id", string.Empty)), new() { ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:9/" });

        start.Code.Should().Be(OcfExitCode.Generic);
        start.Error.Should().Contain("OCF parameter eni_id is empty").And.Contain("Set eni_id");
    }

    [Fact]
    public async Task Start_RouteTables_MovesOnlyThoseTables()
    {
        var start = await _a.RunAsync(Vip, "start", _a.Vip(("route_tables", $"{_a.S.RouteTablePrivateA}, {_a.S.RouteTablePublicAB}")));

        start.Code.Should().Be(OcfExitCode.Success, start.Error);
        _a.Emulator.Inspect.RouteTarget(_a.S.RouteTablePrivateA, _a.S.VipCidr).Should().Be(_a.S.Node2.EniId);
        _a.Emulator.Inspect.RouteTarget(_a.S.RouteTablePublicAB, _a.S.VipCidr).Should().Be(_a.S.Node2.EniId);
        _a.Emulator.Inspect.RouteTarget(_a.S.RouteTablePrivateB, _a.S.VipCidr).Should().Be(_a.S.Node1.EniId);
        (await _a.RunAsync(Vip, "monitor", _a.Vip(("route_tables", $"{_a.S.RouteTablePrivateA} {_a.S.RouteTablePublicAB}")))).Code.Should().Be(OcfExitCode.Success);
    }

    [Fact]
    public async Task StartStop_WithInterface_AddTheVipToTheOsAndRemoveIt_AndMonitorChecksIt()
    {
        var vip = IPAddress.Parse(_a.S.Vip);

        var start = await _a.RunAsync(Vip, "start", _a.Vip(("interface", "eth1")));
        var onStart = await _a.Hosts.ForNode("node2").ListAsync("eth1");
        await _a.Hosts.ForNode("node2").RemoveAsync("eth1", vip, 32);
        var lost = await _a.RunAsync(Vip, "monitor", _a.Vip(("interface", "eth1")));
        (await _a.RunAsync(Vip, "start", _a.Vip(("interface", "eth1")))).Code.Should().Be(OcfExitCode.Success);
        var stop = await _a.RunAsync(Vip, "stop", _a.Vip(("interface", "eth1")));

        start.Code.Should().Be(OcfExitCode.Success, start.Error);
        onStart.Should().Contain(vip);
        start.Error.Should().Contain("eth1: added 10.1.0.20/32");
        lost.Code.Should().Be(OcfExitCode.Generic, "the VIP left the interface");
        stop.Code.Should().Be(OcfExitCode.Success);
        (await _a.Hosts.ForNode("node2").ListAsync("eth1")).Should().NotContain(vip);
    }

    [Fact]
    public async Task Start_WithoutInterface_LeavesTheOsAlone()
    {
        (await _a.RunAsync(Vip, "start", _a.Vip())).Code.Should().Be(OcfExitCode.Success);

        (await _a.Hosts.ForNode("node2").ListAsync("eth0")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("ip", "300.1.2.3", "OCF parameter 'ip' is '300.1.2.3', which is not an IP address")]
    [InlineData("ip", "", "OCF parameter 'ip' is empty; set the VIP address")]
    [InlineData("vpc_id", "vpc-xyz", "OCF parameter 'vpc_id' is 'vpc-xyz', which is not a vpc ID")]
    [InlineData("eni_id", "i-0123456789abcdef0", "OCF parameter 'eni_id' is 'i-0123456789abcdef0', which is not a eni ID")]
    [InlineData("route_tables", "rtb-0123456789abcdef0,subnet-1", "OCF parameter 'route_tables' (entry 2) is 'subnet-1', which is not a rtb ID")]
    [InlineData("interface", "eth0/1", "OCF parameter 'interface' is 'eth0/1', which is not a network interface name")]
    [InlineData("endpoint", "127.0.0.1:4566", "OCF parameter 'endpoint' is '127.0.0.1:4566', which is not an http or https URL")]
    [InlineData("region", "Tokyo", "OCF parameter 'region' is 'Tokyo', which is not a region name")]
    [InlineData("api_failure", "ignore", "OCF parameter 'api_failure' is 'ignore', which is not one of silent, warn, recover")]
    public async Task BadParameter_IsOcfErrConfigured_OneLineNamingTheParameterAndTheFix(string name, string value, string message)
    {
        var validate = await _a.RunAsync(Vip, "validate-all", _a.Vip((name, value)));
        var start = await _a.RunAsync(Vip, "start", _a.Vip((name, value)));

        validate.Code.Should().Be(OcfExitCode.Configured);
        validate.Error.Should().Contain(message);
        validate.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle();
        start.Code.Should().Be(OcfExitCode.Configured);
        _a.Emulator.Calls.Should().BeEmpty("nothing touches AWS with a parameter that cannot work");
    }

    [Fact]
    public async Task ProbeAndStop_BadParametersOfAResourceNeverStartedHere_AreNotRunningAndSuccess()
    {
        (await _a.RunAsync(Vip, "monitor", _a.Vip(("ip", "bad")))).Code.Should().Be(OcfExitCode.NotRunning);
        (await _a.RunAsync(Vip, "stop", _a.Vip(("ip", "bad")))).Code.Should().Be(OcfExitCode.Success);
    }

    [Fact]
    public async Task Start_VipInsideTheVpc_IsOcfErrConfigured()
    {
        var start = await _a.RunAsync(Vip, "start", _a.Vip(("ip", "10.0.110.200")));

        start.Code.Should().Be(OcfExitCode.Configured);
        start.Error.Should().Contain("53: The VIP address 10.0.110.200 belongs to a VPC subnet.");
    }

    [Fact]
    public async Task Start_UnknownVpc_IsOcfErrConfigured()
    {
        var start = await _a.RunAsync(Vip, "start", _a.Vip(("vpc_id", "vpc-0000000000000dead")));

        start.Code.Should().Be(OcfExitCode.Configured);
        start.Error.Should().Contain("does not exist");
    }

    [Fact]
    public async Task Start_RefusedByIam_IsOcfErrPerm()
    {
        _a.Emulator.Faults.Deny("ReplaceRoute");

        var start = await _a.RunAsync(Vip, "start", _a.Vip());

        start.Code.Should().Be(OcfExitCode.Perm);
        start.Error.Should().Contain("not authorized");
    }

    [Fact]
    public async Task Start_AwsFailsWithA5xx_IsOcfErrGeneric()
    {
        _a.Emulator.Faults.Add(new FaultRule { Operation = "ReplaceRoute", Kind = FaultKind.Error, ErrorCode = "InternalError", Status = 500 });

        var start = await _a.RunAsync(Vip, "start", _a.Vip());

        start.Code.Should().Be(OcfExitCode.Generic);
        (await _a.RunAsync(Vip, "monitor", _a.Vip())).Code.Should().Be(OcfExitCode.NotRunning, "a failed start leaves nothing started here");
    }

    [Fact]
    public async Task Start_AnOperationTimeoutTooShortForOneAwsCall_IsOcfErrConfigured()
    {
        var start = await _a.RunAsync(Vip, "start", _a.Vip(), new() { ["OCF_RESKEY_CRM_meta_timeout"] = "3000" });

        start.Code.Should().Be(OcfExitCode.Configured);
        start.Error.Should().Contain("leaves less than a second for an AWS call");
    }

    [Fact]
    public async Task ValidateAll_Level0_ChecksTheParametersOnly_Level10AlsoThisHost()
    {
        _a.RealHost = true;
        var noEni = _a.Vip(("eni_id", string.Empty), ("interface", "nosuch0"));
        var offline = new Dictionary<string, string> { ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:9/" };

        var level0 = await _a.RunAsync(Vip, "validate-all", noEni, offline);
        offline["OCF_CHECK_LEVEL"] = "10";
        var level10 = await _a.RunAsync(Vip, "validate-all", _a.Vip(("interface", "nosuch0")), offline);

        level0.Code.Should().Be(OcfExitCode.Success, level0.Error);
        level10.Code.Should().Be(OcfExitCode.Args, "this host has no interface nosuch0; another may");
        level10.Error.Should().Contain("OCF parameter 'interface' is 'nosuch0', which this host does not have");
        _a.Emulator.Calls.Should().BeEmpty();
    }

    [Theory]
    [InlineData("promote", OcfExitCode.Unimplemented)]
    [InlineData("reload", OcfExitCode.Unimplemented)]
    [InlineData("", OcfExitCode.Args)]
    public async Task OtherActions_AreUnimplemented_AndNoActionIsOcfErrArgs(string action, int code)
    {
        var result = await _a.RunAsync(Vip, action, _a.Vip());

        result.Code.Should().Be(code);
        result.Output.Should().BeEmpty();
    }
}
