using System.Net;
using Amazon.EC2;
using Amazon.Runtime;
using ClusterPro.Aws.Internal;
using Microsoft.Extensions.Time.Testing;

namespace ClusterPro.Aws.Tests.Internal;

public class AwsCallTests
{
    private static AmazonEC2Exception Ec2Error(string code, HttpStatusCode status, string message = "msg") =>
        new(message, ErrorType.Sender, code, "req-1", status);

    [Theory]
    [InlineData("RequestLimitExceeded", HttpStatusCode.ServiceUnavailable)]
    [InlineData("Throttling", HttpStatusCode.BadRequest)]
    [InlineData("PriorRequestNotComplete", HttpStatusCode.BadRequest)]
    [InlineData("ProvisionedThroughputExceededException", HttpStatusCode.BadRequest)]
    [InlineData("InternalError", HttpStatusCode.InternalServerError)]
    public void Classify_ThrottlingAnd5xx_AreNoAnswer(string code, HttpStatusCode status) =>
        AwsCall.Classify(Ec2Error(code, status)).Kind.Should().Be(AwsFailureKind.NoAnswer);

    [Fact]
    public void Classify_Unauthorized_IsDefinite_WithTheSpecMessage()
    {
        var failure = AwsCall.Classify(Ec2Error("UnauthorizedOperation", HttpStatusCode.Forbidden, "You are not authorized to perform this operation. Encoded authorization failure message: xyz"));

        failure.Kind.Should().Be(AwsFailureKind.Definite);
        failure.Message.Should().Be("You are not authorized to perform this operation.");
    }

    [Fact]
    public void Classify_UnauthorizedNamingTheAction_KeepsTheActionAndResource_NotTheCallerOrTheEncodedMessage()
    {
        var failure = AwsCall.Classify(Ec2Error(
            "UnauthorizedOperation",
            HttpStatusCode.Forbidden,
            "You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/node/i-1 is not authorized to perform: ec2:ReplaceRoute on resource: arn:aws:ec2:ap-northeast-1:123456789012:route-table/rtb-1 because no identity-based policy allows the ec2:ReplaceRoute action. Encoded authorization failure message: xyz"));

        failure.Message.Should().Be("You are not authorized to perform this operation. (UnauthorizedOperation: ec2:ReplaceRoute on resource: arn:aws:ec2:ap-northeast-1:123456789012:route-table/rtb-1)");
    }

    [Fact]
    public void Classify_NotFound_KeepsAwsMessage() =>
        AwsCall.Classify(Ec2Error("InvalidVpcID.NotFound", HttpStatusCode.BadRequest, "The vpc ID 'vpc-1' does not exist")).Message
            .Should().Be("The vpc ID 'vpc-1' does not exist");

    [Fact]
    public void Classify_OtherDefiniteError_IsTheGenericMessageWithTheCode() =>
        AwsCall.Classify(Ec2Error("InvalidParameterCombination", HttpStatusCode.BadRequest, "bad combo")).Message
            .Should().Be("Failed in the AWS API call. (InvalidParameterCombination: bad combo)");

    [Fact]
    public void Classify_NetworkError_IsNoAnswer() =>
        AwsCall.Classify(new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException(111))).Kind.Should().Be(AwsFailureKind.NoAnswer);

    [Fact]
    public async Task RunAsync_OurTimeout_IsTimeout_AndCallerCancellationPropagates()
    {
        var time = new FakeTimeProvider();
        var never = new TaskCompletionSource<int>();

        var timed = new AwsCall(TimeSpan.FromSeconds(5), time).RunAsync(_ => never.Task, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        (await timed.Invoking(t => t).Should().ThrowAsync<AwsCallException>()).Which.Kind.Should().Be(AwsFailureKind.Timeout);

        using var cts = new CancellationTokenSource();
        var cancelled = new AwsCall(TimeSpan.FromSeconds(5), time).RunAsync(_ => never.Task, cts.Token);
        await cts.CancelAsync();
        await cancelled.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
    }
}
