using System.Globalization;
using Amazon.Runtime;
using ClusterPro.Aws.Internal;

namespace ClusterPro.Aws.Witness;

/// <summary>
/// How a failed witness call reads: a definite refusal by DynamoDB (an error code with a 4xx status: nothing was
/// written), or no usable answer (our timeout, throttling, 5xx, network, an answer that could not be read), in which
/// case the write may have happened. Each refusal names its cause and the fix.
/// </summary>
internal static class WitnessFailures
{
    /// <summary>The refusal, when DynamoDB answered with an error code and a 4xx status; <see langword="null"/> otherwise.</summary>
    public static AmazonServiceException? Refusal(AwsCallException failure) =>
        !failure.IsNoAnswer && failure.InnerException is AmazonServiceException { ErrorCode.Length: > 0 } refused && (int)refused.StatusCode is >= 400 and < 500
            ? refused
            : null;

    /// <summary>A refusal in words, with its fix.</summary>
    public static string Refused(string operation, string table, AmazonServiceException refused)
    {
        var what = $"{operation} on DynamoDB table '{table}'";
        var cause = $"({refused.ErrorCode}: {refused.Message})";
        return refused.ErrorCode switch
        {
            "ResourceNotFoundException" =>
                $"{what} failed: the table does not exist in this account and region {cause}. Fix: create it with the sample host's witness-init (DynamoDbWitnessTable.EnsureAsync), or correct ClusterPro:Witness:Table and the region (AWS:Region).",
            "AccessDeniedException" =>
                $"{what} is not allowed {cause}. Fix: allow dynamodb:GetItem, dynamodb:PutItem, dynamodb:UpdateItem and dynamodb:DescribeTable on the table's ARN for this node's role (the sample host's iam-policy prints the statement).",
            "ValidationException" =>
                $"{what} was refused as invalid {cause}. Fix: the witness table needs exactly one key, a partition key 'group' of type string (S); run doctor to check the table, or point ClusterPro:Witness:Table at a table made by witness-init.",
            "UnrecognizedClientException" or "InvalidSignatureException" or "MissingAuthenticationTokenException" or "IncompleteSignatureException" or "ExpiredTokenException" or "InvalidClientTokenId" =>
                $"{what} was refused: DynamoDB does not accept this node's credentials {cause}. Fix: check the AWS credentials (instance role or profile) and the region.",
            _ => $"{what} was refused {cause}.",
        };
    }

    /// <summary>No usable answer, in words.</summary>
    public static string NoAnswer(string operation, string table, AwsCallException failure, TimeSpan timeout, string bound = "ClusterPro:Witness:AwsCallTimeout") =>
        failure.Kind == AwsFailureKind.Timeout
            ? string.Create(CultureInfo.InvariantCulture, $"{operation} on DynamoDB table '{table}' gave no answer within {timeout.TotalSeconds:0.###} s ({bound})")
            : $"{operation} on DynamoDB table '{table}' gave no usable answer ({failure.Message})";
}
