using System.Net;
using System.Text.Json;

namespace ClusterPro.Aws.Testing.Tests;

public class ImdsTests
{
    private static async Task<string> GetAsync(HttpClient http, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-aws-ec2-metadata-token", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> TokenAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "latest/api/token");
        request.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", "21600");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Imds_WithToken_AnswersEachNodesOwnIdentity()
    {
        await using var emu = await Emulators.CanonicalAsync();
        var s = emu.Scenario!;
        using var node1 = new HttpClient { BaseAddress = await emu.StartInstanceMetadataAsync(s.Node1.InstanceId) };
        using var node2 = new HttpClient { BaseAddress = await emu.StartInstanceMetadataAsync(s.Node2.InstanceId) };

        var token = await TokenAsync(node2);
        var mac = await GetAsync(node2, "latest/meta-data/mac", token);

        node1.BaseAddress.Should().NotBe(node2.BaseAddress);
        (await GetAsync(node2, "latest/meta-data/instance-id", token)).Should().Be(s.Node2.InstanceId);
        (await GetAsync(node2, "latest/meta-data/placement/availability-zone", token)).Should().Be(s.Node2.AvailabilityZone);
        (await GetAsync(node2, "latest/meta-data/placement/region", token)).Should().Be("ap-northeast-1");
        (await GetAsync(node2, "latest/meta-data/local-ipv4", token)).Should().Be(s.Node2.PrivateIp);
        mac.Should().Be(s.Node2.Mac);
        (await GetAsync(node2, $"latest/meta-data/network/interfaces/macs/{mac}/interface-id", token)).Should().Be(s.Node2.EniId);
        using var document = JsonDocument.Parse(await GetAsync(node2, "latest/dynamic/instance-identity/document", token));
        document.RootElement.GetProperty("region").GetString().Should().Be("ap-northeast-1");
        (await GetAsync(node1, "latest/meta-data/instance-id", await TokenAsync(node1))).Should().Be(s.Node1.InstanceId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("forged-token")]
    public async Task Imds_WithoutAValidToken_Is401(string? token)
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var http = new HttpClient { BaseAddress = await emu.StartInstanceMetadataAsync(emu.Scenario!.Node1.InstanceId) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "latest/meta-data/instance-id");
        if (token is not null)
        {
            request.Headers.Add("X-aws-ec2-metadata-token", token);
        }

        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Imds_TokenRequestWithoutTtl_Is400()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var http = new HttpClient { BaseAddress = await emu.StartInstanceMetadataAsync(emu.Scenario!.Node1.InstanceId) };

        using var response = await http.PutAsync("latest/api/token", null);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Imds_HangFault_EndsInTheClientsTimeout()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var http = new HttpClient { BaseAddress = await emu.StartInstanceMetadataAsync(emu.Scenario!.Node1.InstanceId), Timeout = TimeSpan.FromMilliseconds(300) };
        emu.Faults.Hang("IMDS");

        var act = () => TokenAsync(http);

        await act.Should().ThrowAsync<TaskCanceledException>();
    }
}
