using System.Text.Json.Nodes;

namespace ClusterPro.Aws.Testing.DynamoDb;

/// <summary>A DynamoDB error: its code (the part of <c>__type</c> after '#'), message, status, and for a failed condition the item.</summary>
internal sealed partial class DynamoDbException(string code, string message, int status = 400, JsonObject? item = null) : Exception(message)
{
    public string Code { get; } = code;

    public int Status { get; } = status;

    /// <summary>The item as it was, when <c>ReturnValuesOnConditionCheckFailure</c> was <c>ALL_OLD</c>.</summary>
    public JsonObject? Item { get; } = item;

    /// <summary>A <c>ValidationException</c>, its message prefixed as DynamoDB writes them: <c>1 validation error detected: …</c>.</summary>
    public static DynamoDbException Validation(string message) =>
        new("ValidationException", ValidationPrefix().IsMatch(message) ? message : "1 validation error detected: " + message);

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9]+ validation errors? detected: ", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ValidationPrefix();

    /// <summary>The full <c>__type</c>, with the namespace AWS uses for the code.</summary>
    public static string TypeOf(string code) => code switch
    {
        "ValidationException" => "com.amazon.coral.validate#ValidationException",
        "ThrottlingException" => "com.amazon.coral.availability#ThrottlingException",
        "UnrecognizedClientException" or "InvalidSignatureException" or "MissingAuthenticationTokenException" or "AccessDeniedException"
            or "UnknownOperationException" or "SerializationException" or "IncompleteSignatureException" => "com.amazon.coral.service#" + code,
        _ => "com.amazonaws.dynamodb.v20120810#" + code,
    };
}
