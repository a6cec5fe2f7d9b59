using System.Text.Json;

namespace ClusterPro.Aws.Testing.Tests;

/// <summary>A request for a service the emulator does not serve gets AWS's unknown-operation answer, never another service's.</summary>
public class UnservedServiceTests
{
    [Fact]
    public async Task SsmRequest_ByItsTarget_IsUnknownOperation_NotADynamoDbAnswer()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, body) = await raw.SendAsync(new RawAws.Call("POST", "ssm", emu.Region)
        {
            Body = """{"Name":"/app/db-password","WithDecryption":true}""",
            ContentType = "application/x-amz-json-1.1",
            Headers = new Dictionary<string, string> { ["X-Amz-Target"] = "AmazonSSM.GetParameter" },
        });

        status.Should().Be(400);
        JsonDocument.Parse(body).RootElement.GetProperty("__type").GetString().Should().Be("com.amazon.coral.service#UnknownOperationException");
        body.Should().NotContain("dynamodb", "the answer is not DynamoDB's");
        emu.Calls.Single().Should().Be(new Hosting.EmulatorCall("ssm", "GetParameter", emu.Region, 400, "UnknownOperationException"));
    }

    [Fact]
    public async Task QueryRequest_SignedForAnUnservedService_IsInvalidAction_NotAnEc2SignatureError()
    {
        await using var emu = await Emulators.CanonicalAsync();
        using var raw = new RawAws(emu);

        var (status, body) = await raw.SendAsync(new RawAws.Call("POST", "sqs", emu.Region) { Body = "Action=ListQueues&Version=2012-11-05" });

        status.Should().Be(400);
        body.Should().Contain("<Code>InvalidAction</Code>").And.Contain("ListQueues");
        emu.Calls.Single().Service.Should().Be("sqs");
    }
}
