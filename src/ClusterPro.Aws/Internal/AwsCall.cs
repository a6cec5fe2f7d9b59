using System.Net.Sockets;
using Amazon.Runtime;
using Polly;
using Polly.Timeout;

namespace ClusterPro.Aws.Internal;

/// <summary>
/// The one path every AWS call of the library takes: a Polly timeout of the AWS call timeout (measured on the injected
/// <see cref="TimeProvider"/>), the caller's cancellation, and one classification of failures. Throttling and 5xx are
/// retried inside the call by the AWS SDK's own retry (standard mode, exponential backoff with jitter), or by the
/// Route 53 client's retry, so the timeout bounds the call with its retries.
/// </summary>
internal sealed class AwsCall
{
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "RequestLimitExceeded", "Throttling", "ThrottlingException", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "PriorRequestNotComplete", "SlowDown", "EC2ThrottledException",
        "ProvisionedThroughputExceededException",
    };

    private static readonly HashSet<string> UseAwsMessage = new(StringComparer.Ordinal)
    {
        "InvalidVpcID.NotFound", "InvalidNetworkInterfaceID.NotFound", "InvalidAllocationID.NotFound", "InvalidRouteTableID.NotFound",
        "InvalidInstanceID.NotFound", "InvalidSubnetID.NotFound", "InvalidParameterValue", "NoSuchHostedZone", "InvalidChangeBatch",
    };

    private readonly ResiliencePipeline _pipeline;

    /// <summary>Creates the call path.</summary>
    /// <param name="timeout">The AWS call timeout.</param>
    /// <param name="time">The clock the timeout runs on.</param>
    public AwsCall(TimeSpan timeout, TimeProvider time)
    {
        Timeout = timeout;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(timeout).Build();
    }

    /// <summary>The AWS call timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>True for an AWS error code that means "throttled".</summary>
    /// <param name="code">The error code.</param>
    /// <returns>Whether it is throttling.</returns>
    public static bool IsThrottling(string? code) => code is not null && Throttling.Contains(code);

    /// <summary>Runs one call: the caller's cancellation throws; our timeout and AWS failures become <see cref="AwsCallException"/>s.</summary>
    /// <typeparam name="T">The response type.</typeparam>
    /// <param name="call">The call, given the token to pass to the SDK.</param>
    /// <param name="cancellationToken">The caller's cancellation.</param>
    /// <returns>The response.</returns>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            // WaitAsync: a call that ignores its token is still abandoned at the timeout.
            return await _pipeline.ExecuteAsync(
                static async (c, ct) => await c(ct).WaitAsync(ct).ConfigureAwait(false),
                call,
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            throw new AwsCallException(AwsFailureKind.Timeout, null, AwsResultCodes.TimeoutOccurred, ex);
        }
        catch (Exception ex) when (ex is not AwsCallException)
        {
            throw Classify(ex);
        }
    }

    /// <summary>Classifies a failed call: no answer (network, throttling, 5xx), or a definite answer with the operator's message.</summary>
    /// <param name="ex">The failure.</param>
    /// <returns>The classified failure.</returns>
    public static AwsCallException Classify(Exception ex)
    {
        switch (ex)
        {
            case AwsCallException known:
                return known;
            case AmazonServiceException service when service.ErrorCode is { Length: > 0 } code && (Throttling.Contains(code) || (int)service.StatusCode >= 500):
                return new AwsCallException(AwsFailureKind.NoAnswer, code, $"{AwsResultCodes.ApiFailedMessage} ({code}: {service.Message})", ex);
            case AmazonServiceException service when service.ErrorCode is { Length: > 0 } code:
                var message = code == "UnauthorizedOperation" || code == "AccessDenied" || code == "AccessDeniedException"
                    ? "You are not authorized to perform this operation." + (DeniedAction(service.Message) is { } denied ? $" ({code}: {denied})" : string.Empty)
                    : UseAwsMessage.Contains(code) ? service.Message : $"{AwsResultCodes.ApiFailedMessage} ({code}: {service.Message})";
                return new AwsCallException(AwsFailureKind.Definite, code, message, ex);
            case AmazonServiceException service when (int)service.StatusCode >= 400 && (int)service.StatusCode < 500:
                return new AwsCallException(AwsFailureKind.Definite, null, $"{AwsResultCodes.ApiFailedMessage} (HTTP {(int)service.StatusCode}: {service.Message})", ex);
            case OperationCanceledException or TimeoutException:
                return new AwsCallException(AwsFailureKind.NoAnswer, null, $"{AwsResultCodes.ApiFailedMessage} (no answer: {ex.Message})", ex);
            default:
                var root = Root(ex);
                var kind = root is HttpRequestException or IOException or SocketException or AmazonClientException or AmazonServiceException
                    ? AwsFailureKind.NoAnswer
                    : AwsFailureKind.Definite;
                return new AwsCallException(kind, null, $"{AwsResultCodes.ApiFailedMessage} ({root.GetType().Name}: {root.Message})", ex);
        }
    }

    /// <summary>
    /// The action and resource an IAM refusal names (<c>ec2:ReplaceRoute on resource: arn:…</c>), without the caller's ARN,
    /// the reason and the encoded authorization message; <see langword="null"/> when the message names none.
    /// </summary>
    private static string? DeniedAction(string? message)
    {
        const string Marker = "is not authorized to perform: ";
        var start = message?.IndexOf(Marker, StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            return null;
        }

        var rest = message![(start + Marker.Length)..];
        foreach (var end in new[] { " because ", " with an explicit", ". Encoded", "\n" })
        {
            var i = rest.IndexOf(end, StringComparison.Ordinal);
            rest = i >= 0 ? rest[..i] : rest;
        }

        return rest.TrimEnd('.', ' ');
    }

    private static Exception Root(Exception ex)
    {
        var current = ex;
        while (current.InnerException is not null && current is not HttpRequestException and not SocketException)
        {
            current = current.InnerException;
        }

        return current;
    }
}
