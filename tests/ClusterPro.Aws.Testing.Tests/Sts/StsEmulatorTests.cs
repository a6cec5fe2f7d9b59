using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace ClusterPro.Aws.Testing.Tests.Sts;

public class StsEmulatorTests
{
    [Fact]
    public async Task GetCallerIdentity_ThroughTheSdk_NamesTheEmulatorAccount()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        using var sts = new AmazonSecurityTokenServiceClient(emu.Credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = emu.Endpoint.ToString(), AuthenticationRegion = emu.Region });

        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        identity.Account.Should().Be("123456789012");
        identity.Arn.Should().Be("arn:aws:iam::123456789012:user/emulator");
        emu.Calls.Should().ContainSingle().Which.Should().Be(new Hosting.EmulatorCall("sts", "GetCallerIdentity", "ap-northeast-1", 200, null));
    }

    [Fact]
    public async Task GetCallerIdentity_UnknownKey_IsInvalidClientTokenId()
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { DnsPort = -1 });
        using var sts = new AmazonSecurityTokenServiceClient(new Amazon.Runtime.BasicAWSCredentials("AKIAUNKNOWN000000000", "x"), new AmazonSecurityTokenServiceConfig { ServiceURL = emu.Endpoint.ToString(), AuthenticationRegion = emu.Region, MaxErrorRetry = 0 });

        var act = () => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        var ex = (await act.Should().ThrowAsync<AmazonSecurityTokenServiceException>()).Which;
        ex.ErrorCode.Should().Be("InvalidClientTokenId");
        ex.StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
    }
}
