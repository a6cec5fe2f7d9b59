using System.Xml.Linq;
using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Sts;

/// <summary>STS (Query protocol, version 2011-06-15): <c>GetCallerIdentity</c>, what most tools call first.</summary>
internal static class StsHandler
{
    public const string Version = "2011-06-15";
    public static readonly XNamespace Ns = "https://sts.amazonaws.com/doc/2011-06-15/";

    private static readonly HashSet<string> Actions = new(StringComparer.Ordinal) { "GetCallerIdentity" };

    /// <summary>Whether a Query request is meant for STS (its action or its API version).</summary>
    public static bool Claims(QueryParams p) => p.Get("Version") == Version || (p.Get("Action") is { } a && Actions.Contains(a));

    public static XElement Handle(string action, string region, string requestId)
    {
        if (action != "GetCallerIdentity")
        {
            throw new AwsErrorException("InvalidAction", $"Could not find operation {action} for version {Version}");
        }

        var partition = region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn" : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
        return new XElement(
            Ns + "GetCallerIdentityResponse",
            new XElement(
                Ns + "GetCallerIdentityResult",
                new XElement(Ns + "Arn", $"arn:{partition}:iam::{Ec2Handler.OwnerId}:user/emulator"),
                new XElement(Ns + "UserId", "AIDAEMULATOR00000001"),
                new XElement(Ns + "Account", Ec2Handler.OwnerId)),
            new XElement(Ns + "ResponseMetadata", new XElement(Ns + "RequestId", requestId)));
    }

    public static XElement Error(string code, string message, string requestId, int status) =>
        new(
            Ns + "ErrorResponse",
            new XElement(Ns + "Error", new XElement(Ns + "Type", status >= 500 ? "Receiver" : "Sender"), new XElement(Ns + "Code", code), new XElement(Ns + "Message", message)),
            new XElement(Ns + "RequestId", requestId));
}
