using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>Malformed parameters get 400 and an AWS error code, never a 500; MaxResults within AWS's documented ranges; pages on request.</summary>
public class Ec2BadInputTests
{
    private static async Task<AmazonEC2Exception> FailsAsync(Func<Task> call)
    {
        var ex = (await call.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        return ex;
    }

    [Theory]
    [InlineData(4)]
    [InlineData(101)]
    [InlineData(1000)]
    public async Task DescribeRouteTables_MaxResultsOutsideFiveToHundred_IsInvalidParameterValue(int max)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var ex = await FailsAsync(() => ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { MaxResults = max }));

        ex.ErrorCode.Should().Be("InvalidParameterValue");
        ex.Message.Should().Contain("between 5 and 100");
        (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { MaxResults = 100 })).RouteTables.Should().HaveCount(5, "the canonical VPC's four and the default VPC's main table");
    }

    [Fact]
    public async Task DescribeVpcs_MaxResultsAboveThousand_IsInvalidParameterValue()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        var tooMany = 1001;

        (await FailsAsync(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest { MaxResults = tooMany }))).Message.Should().Contain("between 5 and 1000");
    }

    [Theory]
    [InlineData("OTk5OTk5OTk5OTk5OTk5OTk5")]
    [InlineData("not base64!")]
    [InlineData("LTE=")]
    public async Task DescribeVpcs_MalformedOrOverflowingNextToken_IsInvalidPaginationToken(string token)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        (await FailsAsync(() => ec2.DescribeVpcsAsync(new DescribeVpcsRequest { NextToken = token }))).ErrorCode.Should().Be("InvalidPaginationToken");
    }

    [Fact]
    public async Task DescribeInstances_IdsWithMaxResults_IsInvalidParameterCombination()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        (await FailsAsync(() => ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [emu.Scenario!.Node1.InstanceId], MaxResults = 5 }))).ErrorCode.Should().Be("InvalidParameterCombination");
    }

    [Fact]
    public async Task AssignPrivateIpAddresses_NotAnAddress_IsInvalidParameterValue()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var ec2 = Emulators.Client(emu, c => c.MaxErrorRetry = 0);

        (await FailsAsync(() => ec2.AssignPrivateIpAddressesAsync(new AssignPrivateIpAddressesRequest { NetworkInterfaceId = emu.Scenario!.Node1.EniId, PrivateIpAddresses = ["10.0.110.300"] }))).ErrorCode.Should().Be("InvalidParameterValue");
    }

    [Theory]
    [InlineData("Action=ModifyNetworkInterfaceAttribute&NetworkInterfaceId={eni}&SourceDestCheck.Value=maybe")]
    [InlineData("Action=DescribeVpcs&MaxResults=abc")]
    [InlineData("Action=DescribeVpcs&MaxResults=99999999999")]
    [InlineData("Action=ReplaceRoute&RouteTableId={rtb}&DestinationCidrBlock=10.1.0.20%2F99&NetworkInterfaceId={eni}")]
    [InlineData("Action=CreateRoute&RouteTableId={rtb}&DestinationCidrBlock=banana&NetworkInterfaceId={eni}")]
    [InlineData("Action=DescribeVpcs&DryRun=perhaps")]
    public async Task MalformedQueryParameter_Is400WithAnAwsCode_Never500(string form)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);
        var s = emu.Scenario!;

        var (status, body) = await raw.SendAsync(RawAws.Ec2(form.Replace("{eni}", s.Node1.EniId, StringComparison.Ordinal).Replace("{rtb}", s.RouteTablePrivateA, StringComparison.Ordinal)));

        status.Should().Be(400, body);
        body.Should().MatchRegex("<Code>(InvalidParameterValue|InvalidRoute.NotFound)</Code>");
    }

    [Fact]
    public async Task PageSize_PagesEveryDescribe_WithoutMaxResults()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Scenario = EmulatorScenario.Canonical, DnsPort = -1, PageSize = 2 });
        using var ec2 = emu.CreateEc2Client();

        var first = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [new Filter("vpc-id", [emu.Scenario!.VpcId])] });
        var second = await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [new Filter("vpc-id", [emu.Scenario.VpcId])], NextToken = first.NextToken });
        var subnets = await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest());
        var named = await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [emu.Scenario!.PublicSubnetA, emu.Scenario.PublicSubnetC, emu.Scenario.PrivateSubnetA] });

        first.RouteTables.Should().HaveCount(2);
        first.NextToken.Should().NotBeNull();
        second.RouteTables.Should().HaveCount(2);
        second.NextToken.Should().BeNull();
        subnets.Subnets.Should().HaveCount(2);
        subnets.NextToken.Should().NotBeNull();
        named.Subnets.Should().HaveCount(3, "a request naming IDs is answered whole");
    }
}
