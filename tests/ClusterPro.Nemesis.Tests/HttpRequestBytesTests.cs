using System.Text;

namespace ClusterPro.Nemesis.Tests;

/// <summary>The AWS proxy reads each request whole and names its operation, so faults can aim at one operation.</summary>
public sealed class HttpRequestBytesTests
{
    [Theory]
    [InlineData("POST", "/", "", "Action=StopInstances&Version=2016-11-15&InstanceId.1=i-0abc&Force=true", "StopInstances")]
    [InlineData("POST", "/", "DynamoDB_20120810.UpdateItem", "{}", "UpdateItem")]
    [InlineData("POST", "/2013-04-01/hostedzone/Z123/rrset/", "", "<xml/>", "ChangeResourceRecordSets")]
    [InlineData("GET", "/2013-04-01/change/C123", "", "", "GetChange")]
    public void Operation_IsReadFromTheWayEachServiceNamesIt(string method, string target, string amzTarget, string body, string expected)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (amzTarget.Length > 0)
        {
            headers["X-Amz-Target"] = amzTarget;
        }

        new HttpRequestBytes(method, target, headers, body, []).Operation.Should().Be(expected);
    }

    [Fact]
    public void Form_ReadsAnEc2List()
    {
        var request = new HttpRequestBytes("POST", "/", new Dictionary<string, string>(), "Action=StopInstances&InstanceId.1=i-0abc&InstanceId.2=i-0def", []);

        request.Form("InstanceId").Should().Equal("i-0abc", "i-0def");
    }

    [Fact]
    public async Task ReadAsync_SplitsKeptAliveRequests_ByteForByte()
    {
        var one = "POST / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nContent-Length: 20\r\n\r\nAction=DescribeVpcs&";
        var two = "POST / HTTP/1.1\r\nHost: 127.0.0.1:1\r\nContent-Length: 21\r\n\r\nAction=StopInstances&";
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(one + two));
        var reader = new HttpRequestReader(stream);

        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);
        var end = await reader.ReadAsync(CancellationToken.None);

        Encoding.ASCII.GetString(first!.Raw).Should().Be(one);
        first.Operation.Should().Be("DescribeVpcs");
        Encoding.ASCII.GetString(second!.Raw).Should().Be(two);
        second.Operation.Should().Be("StopInstances");
        end.Should().BeNull();
    }
}
