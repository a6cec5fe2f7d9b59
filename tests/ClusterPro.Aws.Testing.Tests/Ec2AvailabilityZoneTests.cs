using Amazon.EC2.Model;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>Zones and zone IDs as AWS names them.</summary>
public class Ec2AvailabilityZoneTests
{
    [Theory]
    [InlineData("ap-northeast-1", "ap-northeast-1a=apne1-az4 ap-northeast-1c=apne1-az1 ap-northeast-1d=apne1-az2")]
    [InlineData("us-east-1", "us-east-1a=use1-az1 us-east-1b=use1-az2 us-east-1c=use1-az4 us-east-1d=use1-az6 us-east-1e=use1-az3 us-east-1f=use1-az5")]
    [InlineData("ap-southeast-3", "ap-southeast-3a=apse3-az1 ap-southeast-3b=apse3-az2 ap-southeast-3c=apse3-az3")]
    [InlineData("cn-northwest-1", "cn-northwest-1a=cnnw1-az1 cn-northwest-1b=cnnw1-az2 cn-northwest-1c=cnnw1-az3")]
    [InlineData("us-gov-west-1", "us-gov-west-1a=usgw1-az1 us-gov-west-1b=usgw1-az2 us-gov-west-1c=usgw1-az3")]
    [InlineData("us-gov-east-1", "us-gov-east-1a=usge1-az1 us-gov-east-1b=usge1-az2 us-gov-east-1c=usge1-az3")]
    public async Task DescribeAvailabilityZones_NamesZonesAndZoneIdsAsAws(string region, string expected)
    {
        await using var emu = await AwsEmulator.StartAsync(new AwsEmulatorOptions { Region = region, DnsPort = -1 });
        using var ec2 = emu.CreateEc2Client();

        var zones = (await ec2.DescribeAvailabilityZonesAsync(new DescribeAvailabilityZonesRequest())).AvailabilityZones;

        string.Join(' ', zones.Select(z => $"{z.ZoneName}={z.ZoneId}")).Should().Be(expected);
        zones.Should().OnlyContain(z => z.RegionName == region);
    }
}
