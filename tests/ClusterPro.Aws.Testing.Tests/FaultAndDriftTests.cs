using System.Net.Http.Json;
using System.Text.Json;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;

namespace ClusterPro.Aws.Testing.Tests;

public class FaultAndDriftTests
{
    private static ReplaceRouteRequest MoveVip(AwsEmulator emu, string table) =>
        new() { RouteTableId = table, DestinationCidrBlock = emu.Scenario!.VipCidr, NetworkInterfaceId = emu.Scenario.Node2.EniId };

    [Fact]
    public async Task Throttle_FewerThanTheSdkRetries_IsAbsorbedByTheSdksRetry()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => { c.MaxErrorRetry = 3; c.RetryMode = RequestRetryMode.Standard; });
        emu.Faults.Throttle("ReplaceRoute", 2);

        await ec2.ReplaceRouteAsync(MoveVip(emu, emu.Scenario!.RouteTablePrivateA));

        emu.Calls.Where(c => c.Operation == "ReplaceRoute").Select(c => c.ErrorCode).Should().Equal("RequestLimitExceeded", "RequestLimitExceeded", null);
        emu.Inspect.RouteTarget(emu.Scenario.RouteTablePrivateA, emu.Scenario.VipCidr).Should().Be(emu.Scenario.Node2.EniId);
    }

    [Fact]
    public async Task Throttle_MoreThanTheSdkRetries_SurfacesRequestLimitExceeded()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 1);
        emu.Faults.Throttle("ReplaceRoute", 5);

        var act = () => ec2.ReplaceRouteAsync(MoveVip(emu, emu.Scenario!.RouteTablePrivateA));

        var ex = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("RequestLimitExceeded");
        ex.StatusCode.Should().Be(System.Net.HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task InternalError_Once_IsRetriedBySdk()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 2);
        emu.Faults.Error("DescribeRouteTables", "InternalError", count: 1);

        var tables = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest());

        tables.RouteTables.Should().NotBeEmpty();
        emu.Calls.Where(c => c.Operation == "DescribeRouteTables").Select(c => c.Status).Should().Equal(500, 200);
    }

    [Fact]
    public async Task Hang_EndsInTheClientsTimeout()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => { c.Timeout = TimeSpan.FromMilliseconds(300); c.MaxErrorRetry = 0; });
        emu.Faults.Hang("DescribeAvailabilityZones");

        var act = () => ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest());

        await act.Should().ThrowAsync<Exception>().Where(e => e is TimeoutException || e is OperationCanceledException || e is AmazonServiceException);

        // Under load the HTTP stack may resend a request whose connection it gave up on; every attempt hangs unanswered.
        emu.Calls.Where(c => c.Operation == "DescribeAvailabilityZones").Should().NotBeEmpty().And.OnlyContain(c => c.Status == 0);
    }

    [Fact]
    public async Task Hang_CallerCancellation_EndsTheCall()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        emu.Faults.Hang("DescribeAvailabilityZones");
        using var cts = new CancellationTokenSource();

        var call = ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest(), cts.Token);
        await cts.CancelAsync();

        await call.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task ConnectionReset_Once_IsRetriedBySdk_EveryTimeFails()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 2);
        emu.Faults.Reset("DescribeVpcs", count: 1);
        (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Should().HaveCount(2, "the canonical VPC and the default VPC");

        emu.ClearCalls();
        emu.Faults.Reset("DescribeVpcs");
        var act = () => ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        await act.Should().ThrowAsync<Exception>();
        emu.Calls.Should().HaveCountGreaterThan(1, "the SDK retried the reset call before giving up").And.OnlyContain(c => c.Operation == "DescribeVpcs" && c.Status == 0);
    }

    [Fact]
    public async Task Deny_OneRouteTable_OnlyThatTableIsUnauthorized()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();
        emu.Faults.Deny("ReplaceRoute", s.RouteTablePrivateB);

        await ec2.ReplaceRouteAsync(MoveVip(emu, s.RouteTablePrivateA));
        var denied = () => ec2.ReplaceRouteAsync(MoveVip(emu, s.RouteTablePrivateB));

        var ex = (await denied.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("UnauthorizedOperation");
        ex.Message.Should().Be("You are not authorized to perform this operation.");
        ex.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
        emu.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node2.EniId);
        emu.Inspect.RouteTarget(s.RouteTablePrivateB, s.VipCidr).Should().Be(s.Node1.EniId);
    }

    [Fact]
    public async Task EndpointDown_EveryCallFails_UntilItComesBack()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        emu.Faults.EndpointDown = true;

        var act = () => ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        await act.Should().ThrowAsync<Exception>();

        emu.Faults.EndpointDown = false;
        (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Should().HaveCount(2, "the canonical VPC and the default VPC");
    }

    [Fact]
    public async Task Latency_LongerThanTheClientTimeout_TimesOut_AndShorterSucceeds()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => { c.Timeout = TimeSpan.FromMilliseconds(400); c.MaxErrorRetry = 0; });
        var rule = emu.Faults.AddLatency("DescribeVpcs", TimeSpan.FromSeconds(5));

        var slow = () => ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        await slow.Should().ThrowAsync<Exception>();

        emu.Faults.Remove(rule);
        emu.Faults.AddLatency("DescribeVpcs", TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(5));
        (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Should().HaveCount(2, "the canonical VPC and the default VPC");
    }

    [Fact]
    public async Task Drift_EveryKind_IsVisibleThroughTheSdk()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var ec2 = emu.CreateEc2Client();
        await ec2.AssociateAddressAsync(new AssociateAddressRequest { AllocationId = s.EipAllocationId, NetworkInterfaceId = s.Node1.EniId });

        emu.Drift.RetargetRoute(s.RouteTablePublicAB, s.VipCidr, s.Node2.EniId);
        emu.Drift.MoveAddress(s.EipAllocationId, s.Node2.EniId);
        emu.Drift.SetZoneState(s.Node1.AvailabilityZone, "impaired");
        emu.Drift.StopInstance(s.Node2.InstanceId);

        var route = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { RouteTableIds = [s.RouteTablePublicAB] })).RouteTables.Single().Routes.Single(r => r.DestinationCidrBlock == s.VipCidr);
        var address = (await ec2.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [s.EipAllocationId] })).Addresses.Single();
        var zone = (await ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest { ZoneNames = [s.Node1.AvailabilityZone] })).AvailabilityZones.Single();
        var node2 = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [s.Node2.InstanceId] })).Reservations.Single().Instances.Single();

        route.NetworkInterfaceId.Should().Be(s.Node2.EniId);
        address.NetworkInterfaceId.Should().Be(s.Node2.EniId);
        zone.State.Value.Should().Be("impaired");
        node2.State.Name.Value.Should().Be("stopped");

        emu.Drift.DisassociateAddress(s.EipAllocationId);
        (await ec2.DescribeAddressesAsync(new DescribeAddressesRequest { AllocationIds = [s.EipAllocationId] })).Addresses.Single().AssociationId.Should().BeNull();
    }

    [Fact]
    public async Task ControlApi_FaultsDriftStateAndCalls_OverHttp()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var http = new HttpClient { BaseAddress = emu.Endpoint };
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        (await http.PostAsJsonAsync("_emulator/faults", new { operation = "DescribeVpcs", kind = "Deny" })).EnsureSuccessStatusCode();
        var denied = () => ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        (await denied.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("UnauthorizedOperation");
        (await http.DeleteAsync("_emulator/faults")).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("_emulator/drift/route", new { routeTableId = s.RouteTablePrivateA, destinationCidr = s.VipCidr, networkInterfaceId = s.Node2.EniId })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("_emulator/drift/zone", new { zoneName = s.Node2.AvailabilityZone, state = "unavailable" })).EnsureSuccessStatusCode();
        using var state = JsonDocument.Parse(await http.GetStringAsync("_emulator/state"));
        using var calls = JsonDocument.Parse(await http.GetStringAsync("_emulator/calls"));
        var bad = await http.PostAsJsonAsync("_emulator/drift/route", new { routeTableId = "rtb-nope" });

        emu.Inspect.RouteTarget(s.RouteTablePrivateA, s.VipCidr).Should().Be(s.Node2.EniId);
        state.RootElement.GetProperty("regions")[0].GetProperty("zones").EnumerateArray()
            .Single(z => z.GetProperty("name").GetString() == s.Node2.AvailabilityZone).GetProperty("state").GetString().Should().Be("unavailable");
        calls.RootElement.EnumerateArray().Select(c => c.GetProperty("operation").GetString()).Should().Contain("DescribeVpcs");
        ((int)bad.StatusCode).Should().Be(400);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("'destinationCidr' is required.");
    }

    [Fact]
    public async Task Reset_RestoresTheCanonicalScenario()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        emu.Drift.RetargetRoute(s.RouteTablePrivateA, s.VipCidr, s.Node2.EniId);
        emu.Faults.EndpointDown = true;

        emu.Reset();

        emu.Faults.EndpointDown.Should().BeFalse();
        emu.Scenario.Should().NotBeNull();
        emu.Inspect.RouteTarget(emu.Scenario!.RouteTablePrivateA, emu.Scenario.VipCidr).Should().Be(emu.Scenario.Node1.EniId);
    }

    [Fact]
    public async Task CountedRules_OnlyTheRuleThatApplies_IsCounted()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        var first = emu.Faults.Error("DescribeVpcs", "InvalidParameterValue", count: 1);
        var second = emu.Faults.Error("*", "AuthFailure", status: 401, count: 1);

        var one = () => ec2.DescribeVpcsAsync(new DescribeVpcsRequest());
        (await one.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InvalidParameterValue");
        (await one.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("AuthFailure", "the second rule did not apply to the first call, so it was not used up");
        (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Should().HaveCount(2, "the canonical VPC and the default VPC");
        emu.Faults.Rules.Should().NotContain(first).And.NotContain(second);
    }

    [Fact]
    public async Task LatencyAndErrorRules_BothApply_AndAreCounted()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        var latency = emu.Faults.Add(new Faults.FaultRule { Operation = "DescribeVpcs", Kind = Faults.FaultKind.Latency, Latency = TimeSpan.FromMilliseconds(1), Count = 1 });
        emu.Faults.Error("DescribeVpcs", "InternalError", count: 1);

        var act = () => ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InternalError");
        latency.Triggered.IsCompleted.Should().BeTrue();
        emu.Faults.Rules.Should().BeEmpty();
    }

    [Fact]
    public async Task WildcardRule_IsNotConsumedByInstanceMetadata()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);
        using var imds = new HttpClient { BaseAddress = await emu.StartInstanceMetadataAsync(emu.Scenario!.Node1.InstanceId) };
        emu.Faults.Error("*", "InternalError", count: 1);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Put, "latest/api/token");
        tokenRequest.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", "60");

        using var token = await imds.SendAsync(tokenRequest);
        var act = () => ec2.DescribeVpcsAsync(new DescribeVpcsRequest());

        token.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, "'*' names AWS operations, not instance metadata");
        (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("InternalError");
    }
}
