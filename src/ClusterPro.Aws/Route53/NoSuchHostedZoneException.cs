using System.Net;

namespace ClusterPro.Aws.Route53;

/// <summary>NoSuchHostedZone.</summary>
internal sealed class NoSuchHostedZoneException(string message, string requestId, HttpStatusCode statusCode)
    : AmazonRoute53Exception(message, "NoSuchHostedZone", requestId, statusCode);
