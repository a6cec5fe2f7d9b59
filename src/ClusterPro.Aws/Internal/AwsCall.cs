using System.Net.Sockets;
using Amazon.Runtime;

namespace ClusterPro.Aws.Internal;

/// <summary>Why an AWS call failed.</summary>
internal enum AwsFailureKind
{
    /// <summary>AWS gave no usable answer: endpoint or network error, throttling, 5xx.</summary>
    NoAnswer,

    /// <summary>Our AWS call timeout elapsed.</summary>
    Timeout,

    /// <summary>AWS answered with a definite error (not found, unauthorized, invalid parameter …).</summary>
    Definite,
}

/// <summary>A classified AWS call failure; its message is what the operator sees.</summary>
internal sealed class AwsCallException(AwsFailureKind kind, string? errorCode, string message, Exception? inner)
    : Exception(message, inner)
{
    public AwsFailureKind Kind { get; } = kind;

    public string? ErrorCode { get; } = errorCode;

    public bool IsNoAnswer => Kind is AwsFailureKind.NoAnswer or AwsFailureKind.Timeout;

    /// <summary>The resource result for this failure: the resource's timeout code and message, else 50 with this message.</summary>
    public ClusterPro.Resources.ResourceResult ToResourceResult(int timeoutCode, string timeoutMessage, IReadOnlyList<string> changes) =>
        Kind == AwsFailureKind.Timeout
            ? ClusterPro.Resources.ResourceResult.Failure(timeoutCode, timeoutMessage, changes)
            : ClusterPro.Resources.ResourceResult.Failure(AwsResultCodes.ApiFailed, Message, changes);
}

/// <summary>Runs one AWS call with the AWS call timeout and the caller's cancellation, and classifies failures.</summary>
internal static class AwsCall
{
    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        "RequestLimitExceeded", "Throttling", "ThrottlingException", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "PriorRequestNotComplete", "SlowDown", "EC2ThrottledException",
    };

    private static readonly HashSet<string> UseAwsMessage = new(StringComparer.Ordinal)
    {
        "InvalidVpcID.NotFound", "InvalidNetworkInterfaceID.NotFound", "InvalidAllocationID.NotFound", "InvalidRouteTableID.NotFound",
        "InvalidInstanceID.NotFound", "InvalidSubnetID.NotFound", "InvalidParameterValue", "NoSuchHostedZone", "InvalidChangeBatch",
    };

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            return await call(linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex) when (timeoutSource.IsCancellationRequested)
        {
            throw new AwsCallException(AwsFailureKind.Timeout, null, AwsResultCodes.TimeoutOccurred, ex);
        }
        catch (Exception ex) when (ex is not AwsCallException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw Classify(ex);
        }
    }

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
                    ? "You are not authorized to perform this operation."
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
