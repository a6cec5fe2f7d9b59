using System.Net;
using Amazon.Runtime;

namespace ClusterPro.Aws.Route53;

/// <summary>An error answered by Route 53, with its AWS error code.</summary>
internal class AmazonRoute53Exception : AmazonServiceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">AWS's message.</param>
    /// <param name="errorCode">AWS's error code.</param>
    /// <param name="requestId">The request ID.</param>
    /// <param name="statusCode">The HTTP status.</param>
    public AmazonRoute53Exception(string message, string errorCode, string requestId, HttpStatusCode statusCode)
        : base(message, null, statusCode >= HttpStatusCode.InternalServerError ? ErrorType.Receiver : ErrorType.Sender, errorCode, requestId, statusCode)
    {
    }
}
