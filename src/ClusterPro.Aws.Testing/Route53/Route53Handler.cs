using System.Globalization;
using System.Xml.Linq;
using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>
/// The Route 53 REST-XML API (<c>/2013-04-01/…</c>) in AWS's shapes: hosted zones, record sets and changes, health
/// checks and tags, in partial files by concern.
/// </summary>
internal static partial class Route53Handler
{
    public const string Prefix = "/2013-04-01/";
    public static readonly XNamespace Ns = "https://route53.amazonaws.com/doc/2013-04-01/";

    /// <summary>The operation name for a method and path (for faults, call counts and errors).</summary>
    public static string OperationOf(string method, string path)
    {
        var parts = path[Prefix.Length..].TrimEnd('/').Split('/');
        return (method, parts) switch
        {
            ("POST", ["hostedzone"]) => "CreateHostedZone",
            ("GET", ["hostedzone"]) => "ListHostedZones",
            ("GET", ["hostedzonesbyname"]) => "ListHostedZonesByName",
            ("GET", ["hostedzonecount"]) => "GetHostedZoneCount",
            ("GET", ["hostedzone", _]) => "GetHostedZone",
            ("POST", ["hostedzone", _]) => "UpdateHostedZoneComment",
            ("DELETE", ["hostedzone", _]) => "DeleteHostedZone",
            ("POST", ["hostedzone", _, "associatevpc"]) => "AssociateVPCWithHostedZone",
            ("POST", ["hostedzone", _, "rrset"]) => "ChangeResourceRecordSets",
            ("GET", ["hostedzone", _, "rrset"]) => "ListResourceRecordSets",
            ("GET", ["change", _]) => "GetChange",
            ("POST", ["healthcheck"]) => "CreateHealthCheck",
            ("GET", ["healthcheck"]) => "ListHealthChecks",
            ("GET", ["healthcheckcount"]) => "GetHealthCheckCount",
            ("GET", ["healthcheck", _]) => "GetHealthCheck",
            ("POST", ["healthcheck", _]) => "UpdateHealthCheck",
            ("DELETE", ["healthcheck", _]) => "DeleteHealthCheck",
            ("POST", ["tags", _, _]) => "ChangeTagsForResource",
            ("GET", ["tags", _, _]) => "ListTagsForResource",
            ("POST", ["tags", _]) => "ListTagsForResources",
            _ => "Unknown",
        };
    }

    public static Route53Response Handle(string operation, string path, IReadOnlyDictionary<string, string> query, XDocument? body, Route53State state, int? pageSize)
    {
        var parts = path[Prefix.Length..].TrimEnd('/').Split('/');
        var root = body?.Root;
        return operation switch
        {
            "CreateHostedZone" => CreateHostedZone(root, state),
            "GetHostedZone" => GetHostedZone(state.Zone(parts[1])),
            "UpdateHostedZoneComment" => UpdateHostedZoneComment(parts[1], root, state),
            "DeleteHostedZone" => Ok(E("DeleteHostedZoneResponse", ChangeInfo(state, state.DeleteHostedZone(parts[1])))),
            "GetHostedZoneCount" => Ok(E("GetHostedZoneCountResponse", E("HostedZoneCount", state.Zones.Count.ToString(CultureInfo.InvariantCulture)))),
            "ListHostedZonesByName" => ListHostedZonesByName(query, state, pageSize),
            "ListHostedZones" => ListHostedZones(query, state, pageSize),
            "AssociateVPCWithHostedZone" => AssociateVpc(parts[1], root, state),
            "ChangeResourceRecordSets" => ChangeResourceRecordSets(parts[1], root, state),
            "ListResourceRecordSets" => ListResourceRecordSets(parts[1], query, state, pageSize),
            "GetChange" => Ok(E("GetChangeResponse", ChangeInfo(state, state.Change(parts[1])))),
            "CreateHealthCheck" => CreateHealthCheck(root, state),
            "GetHealthCheck" => Ok(E("GetHealthCheckResponse", HealthCheck(state.HealthCheck(parts[1])))),
            "UpdateHealthCheck" => UpdateHealthCheck(parts[1], root, state),
            "DeleteHealthCheck" => DeleteHealthCheck(parts[1], state),
            "ListHealthChecks" => ListHealthChecks(query, state, pageSize),
            "GetHealthCheckCount" => Ok(E("GetHealthCheckCountResponse", E("HealthCheckCount", state.HealthChecks.Count.ToString(CultureInfo.InvariantCulture)))),
            "ChangeTagsForResource" => ChangeTagsForResource(parts[1], parts[2], root, state),
            "ListTagsForResource" => Ok(E("ListTagsForResourceResponse", TagSet(parts[1], parts[2], state))),
            "ListTagsForResources" => ListTagsForResources(parts[1], root, state),
            _ => throw new AwsErrorException("InvalidInput", $"The operation at {path} is not supported by this emulator.", 404),
        };
    }

    public static XElement Error(string code, string message, string requestId, int status) =>
        E("ErrorResponse", E("Error", E("Type", status >= 500 ? "Receiver" : "Sender"), E("Code", code), E("Message", message)), E("RequestId", requestId));

    private static Route53Response Ok(XElement body) => new(200, body);

    private static XElement Zone(HostedZoneModel z) => E(
        "HostedZone",
        E("Id", "/hostedzone/" + z.Id),
        E("Name", z.Name),
        E("CallerReference", z.CallerReference),
        E("Config", z.Comment is null ? null : E("Comment", z.Comment), E("PrivateZone", z.Private ? "true" : "false")),
        E("ResourceRecordSetCount", z.Records.Count.ToString(CultureInfo.InvariantCulture)));

    private static XElement ChangeInfo(Route53State state, ChangeModel c) => E(
        "ChangeInfo",
        E("Id", "/change/" + c.Id),
        E("Status", state.Status(c)),
        E("SubmittedAt", c.SubmittedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)),
        c.Comment is null ? null : E("Comment", c.Comment));

    private static string? Value(XElement? parent, string name) => parent?.Element(Ns + name)?.Value;

    private static XElement E(string name, params object?[] content) => new(Ns + name, content);

    /// <summary>Route 53's XML schema check of a text member's length (<c>InvalidInput</c>).</summary>
    private static string? Bounded(XElement? parent, string name, string member, int max)
    {
        var value = Value(parent, name);
        return value is null || value.Length <= max
            ? value
            : throw new AwsErrorException("InvalidInput", $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}");
    }
}
