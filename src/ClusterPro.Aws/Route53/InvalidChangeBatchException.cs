using System.Net;

namespace ClusterPro.Aws.Route53;

/// <summary>InvalidChangeBatch: the whole batch was rejected; <see cref="Messages"/> lists why.</summary>
internal sealed class InvalidChangeBatchException(string message, IReadOnlyList<string> messages, string requestId, HttpStatusCode statusCode)
    : AmazonRoute53Exception(message, "InvalidChangeBatch", requestId, statusCode)
{
    /// <summary>Each problem of the batch.</summary>
    public IReadOnlyList<string> Messages { get; } = messages;
}
