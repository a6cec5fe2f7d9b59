using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>Requests AWS refuses, refused the same way: wrong time, scope, payload hash, path form, key.</summary>
public class SigV4RejectionTests
{
    private const string DescribeVpcs = "Action=DescribeVpcs";

    private static async Task<int> VpcsAsync(AwsEmulator emu)
    {
        using var ec2 = emu.CreateEc2Client();
        return (await ec2.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Count;
    }

    private static RawAws.Call Route53(string path = "/2013-04-01/hostedzone") => new("GET", "route53", "us-east-1") { Path = path };

    [Fact]
    public async Task Ec2_SignedNow_IsAccepted()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, body) = await raw.SendAsync(RawAws.Ec2(DescribeVpcs));

        status.Should().Be(200, body);
        body.Should().Contain(emu.Scenario!.VpcId);
    }

    [Theory]
    [InlineData(-3 * 24 * 60)]
    [InlineData(-16)]
    [InlineData(16)]
    public async Task Ec2_SignedOutsideFifteenMinutes_IsRequestExpired(int minutes)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, body) = await raw.SendAsync(RawAws.Ec2(DescribeVpcs) with { SignedAt = TimeProvider.System.GetUtcNow().AddMinutes(minutes) });

        status.Should().Be(400);
        body.Should().Contain("<Code>RequestExpired</Code>");
    }

    [Fact]
    public async Task Ec2_SignedFourteenMinutesAgo_IsAccepted()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, _) = await raw.SendAsync(RawAws.Ec2(DescribeVpcs) with { SignedAt = TimeProvider.System.GetUtcNow().AddMinutes(-14) });

        status.Should().Be(200);
    }

    [Fact]
    public async Task Ec2_ScopedToRoute53_IsSignatureDoesNotMatch()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, body) = await raw.SendAsync(RawAws.Ec2(DescribeVpcs) with { Service = "route53" });

        status.Should().Be(403);
        body.Should().Contain("<Code>SignatureDoesNotMatch</Code>").And.Contain("Credential should be scoped to correct service: 'ec2'");
    }

    [Fact]
    public async Task Ec2_ScopedToAnotherAwsRegion_IsServedFromThatRegion_AndANonRegionIsRejected()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);
        using var oregon = emu.CreateEc2Client("us-west-2");
        using var nowhere = emu.CreateEc2Client("us-west-9");

        var (status, body) = await raw.SendAsync(RawAws.Ec2(DescribeVpcs) with { Region = "eu-west-1" });
        await oregon.CreateVpcAsync(new CreateVpcRequest { CidrBlock = "172.16.0.0/16" });
        var (unknown, unknownBody) = await raw.SendAsync(RawAws.Ec2(DescribeVpcs) with { Region = "eu-fake-1" });
        var sdk = () => nowhere.DescribeVpcsAsync(new DescribeVpcsRequest());

        status.Should().Be(200, body);
        body.Should().Contain("<cidrBlock>172.31.0.0/16</cidrBlock>", "eu-west-1 has its default VPC").And.NotContain(emu.Scenario!.VpcId);
        (await oregon.DescribeVpcsAsync(new DescribeVpcsRequest())).Vpcs.Select(v => v.CidrBlock).Should().BeEquivalentTo("172.31.0.0/16", "172.16.0.0/16");
        unknown.Should().Be(403);
        unknownBody.Should().Contain("Credential should be scoped to a valid region, not 'eu-fake-1'.");
        (await sdk.Should().ThrowAsync<AmazonEC2Exception>()).Which.ErrorCode.Should().Be("SignatureDoesNotMatch");
        (await VpcsAsync(emu)).Should().Be(2, "the default region holds the canonical VPC and its default VPC, nothing of us-west-2's");
    }

    [Fact]
    public async Task Ec2_BodySwappedAfterSigning_WithTheOldHashHeader_IsRejected()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, body) = await raw.SendAsync(RawAws.Ec2("Action=CreateVpc&CidrBlock=10.9.0.0%2F16") with { SignContentHash = true, SentBody = "Action=CreateVpc&CidrBlock=10.8.0.0%2F16&Version=2016-11-15" });

        status.Should().Be(403);
        body.Should().Contain("<Code>SignatureDoesNotMatch</Code>");
        (await VpcsAsync(emu)).Should().Be(2, "the canonical VPC and the default VPC, no new one");
    }

    [Fact]
    public async Task Ec2_BodyHashHeaderMatchingTheBody_IsAccepted()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, _) = await raw.SendAsync(RawAws.Ec2(DescribeVpcs) with { SignContentHash = true });

        status.Should().Be(200);
    }

    [Fact]
    public async Task Ec2_UnknownAccessKey_Is401AuthFailure_ThroughTheSdk()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var unknownKey = Emulators.Client(emu, accessKey: "AKIAUNKNOWN000000000");

        var act = () => unknownKey.DescribeVpcsAsync(new DescribeVpcsRequest());

        var ex = (await act.Should().ThrowAsync<AmazonEC2Exception>()).Which;
        ex.ErrorCode.Should().Be("AuthFailure");
        ex.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Route53_ScopedToARegionOtherThanUsEast1_IsSignatureDoesNotMatch()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (accepted, _) = await raw.SendAsync(Route53());
        var (status, body) = await raw.SendAsync(Route53() with { Region = "eu-west-1" });

        accepted.Should().Be(200);
        status.Should().Be(403);
        body.Should().Contain("<Code>SignatureDoesNotMatch</Code>").And.Contain("not 'eu-west-1'");
    }

    [Fact]
    public async Task Route53_SignedSixMinutesAgo_IsSignatureExpired()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (fourMinutes, _) = await raw.SendAsync(Route53() with { SignedAt = TimeProvider.System.GetUtcNow().AddMinutes(-4) });
        var (status, body) = await raw.SendAsync(Route53() with { SignedAt = TimeProvider.System.GetUtcNow().AddMinutes(-6) });

        fourMinutes.Should().Be(200);
        status.Should().Be(403);
        body.Should().Contain("<Code>SignatureDoesNotMatch</Code>").And.Contain("Signature expired:").And.Contain("- 5 min.)");
    }

    [Fact]
    public async Task Route53_UnknownAccessKey_IsInvalidClientTokenId403()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, body) = await raw.SendAsync(Route53() with { AccessKey = "AKIAUNKNOWN000000000" });

        status.Should().Be(403);
        body.Should().Contain("<Code>InvalidClientTokenId</Code>");
    }

    [Fact]
    public async Task Route53_PathSignedEncodedOnce_IsRejected_EncodedTwiceIsAccepted()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);
        var path = "/2013-04-01/hostedzone/Z%20SPACE";

        var (twice, twiceBody) = await raw.SendAsync(Route53(path));
        var (once, onceBody) = await raw.SendAsync(Route53(path) with { CanonicalPath = "/2013-04-01/hostedzone/Z%20SPACE" });

        twice.Should().Be(404, twiceBody);
        twiceBody.Should().Contain("NoSuchHostedZone");
        once.Should().Be(403);
        onceBody.Should().Contain("SignatureDoesNotMatch");
    }

    [Fact]
    public async Task StartAsync_UnknownRegion_Throws()
    {
        var act = () => AwsEmulator.StartAsync(new AwsEmulatorOptions { Region = "ap-northeast-9", DnsPort = -1 });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("'ap-northeast-9' is not an AWS region");
    }
}
