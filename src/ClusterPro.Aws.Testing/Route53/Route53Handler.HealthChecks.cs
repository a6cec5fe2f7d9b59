using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>Health checks (configuration only: the emulator probes nothing) and the tags of zones and health checks.</summary>
internal static partial class Route53Handler
{
    private static readonly string[] HealthCheckTypes = ["HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP", "CALCULATED", "CLOUDWATCH_METRIC", "RECOVERY_CONTROL"];

    /// <summary>HealthCheckConfig's members in the order Route 53 writes them.</summary>
    private static readonly string[] ConfigOrder =
    [
        "IPAddress", "Port", "Type", "ResourcePath", "FullyQualifiedDomainName", "SearchString", "RequestInterval", "FailureThreshold", "MeasureLatency",
        "Inverted", "Disabled", "HealthThreshold", "ChildHealthChecks", "EnableSNI", "Regions", "AlarmIdentifier", "InsufficientDataHealthStatus", "RoutingControlArn",
    ];

    private static readonly string[] Updatable =
    [
        "IPAddress", "Port", "ResourcePath", "FullyQualifiedDomainName", "SearchString", "FailureThreshold", "Inverted", "Disabled", "HealthThreshold",
        "ChildHealthChecks", "EnableSNI", "Regions", "AlarmIdentifier", "InsufficientDataHealthStatus",
    ];

    private static Route53Response CreateHealthCheck(XElement? root, Route53State state)
    {
        var caller = Value(root, "CallerReference") ?? throw new AwsErrorException("InvalidInput", "1 validation error detected: Value null at 'callerReference' failed to satisfy constraint: Member must not be null");
        Bounded(root, "CallerReference", "callerReference", 64);
        var config = root?.Element(Ns + "HealthCheckConfig") ?? throw new AwsErrorException("InvalidInput", "1 validation error detected: Value null at 'healthCheckConfig' failed to satisfy constraint: Member must not be null");
        var (check, created) = state.CreateHealthCheck(caller, HealthCheckConfig(config));
        return new Route53Response(created ? 201 : 200, E("CreateHealthCheckResponse", HealthCheck(check)), $"https://route53.amazonaws.com/2013-04-01/healthcheck/{check.Id}");
    }

    private static Route53Response UpdateHealthCheck(string id, XElement? root, Route53State state)
    {
        var check = state.HealthCheck(id);
        if (Value(root, "HealthCheckVersion") is { } version && version != check.Version.ToString(CultureInfo.InvariantCulture))
        {
            throw new AwsErrorException("HealthCheckVersionMismatch", $"The value of HealthCheckVersion in the request ({version}) doesn't match the value of HealthCheckVersion in the health check ({check.Version}).", 409);
        }

        var merged = new XElement(check.Config);
        foreach (var reset in root?.Element(Ns + "ResetElements")?.Elements(Ns + "ResettableElementName").Select(e => e.Value) ?? [])
        {
            merged.Element(Ns + reset)?.Remove();
        }

        foreach (var name in Updatable)
        {
            if (root?.Element(Ns + name) is { } replacement)
            {
                merged.Element(Ns + name)?.Remove();
                merged.Add(new XElement(replacement));
            }
        }

        check.Config = HealthCheckConfig(merged);
        check.Version++;
        return Ok(E("UpdateHealthCheckResponse", HealthCheck(check)));
    }

    private static Route53Response DeleteHealthCheck(string id, Route53State state)
    {
        state.DeleteHealthCheck(id);
        return Ok(E("DeleteHealthCheckResponse"));
    }

    private static Route53Response ListHealthChecks(IReadOnlyDictionary<string, string> query, Route53State state, int? pageSize)
    {
        var checks = state.HealthChecks.Values.OrderBy(h => h.Id, StringComparer.Ordinal).ToList();
        var max = Route53Validation.MaxItems(query, 1000, pageSize, 100);
        var start = query.TryGetValue("marker", out var marker) ? checks.FindIndex(h => h.Id == marker) : 0;
        if (start < 0)
        {
            throw new AwsErrorException("InvalidInput", $"The specified marker is not valid: {marker}");
        }

        var page = checks.Skip(start).Take(max).ToList();
        var truncated = start + page.Count < checks.Count;
        return Ok(E(
            "ListHealthChecksResponse",
            E("HealthChecks", page.Select(HealthCheck)),
            E("Marker", marker ?? string.Empty),
            E("IsTruncated", truncated ? "true" : "false"),
            truncated ? E("NextMarker", checks[start + page.Count].Id) : null,
            E("MaxItems", max.ToString(CultureInfo.InvariantCulture))));
    }

    private static Route53Response ChangeTagsForResource(string type, string id, XElement? root, Route53State state)
    {
        var tags = state.TagsOf(type, id);
        var add = root?.Element(Ns + "AddTags")?.Elements(Ns + "Tag").Select(t => (Key: Value(t, "Key") ?? string.Empty, Value: Value(t, "Value") ?? string.Empty)).ToList() ?? [];
        var remove = root?.Element(Ns + "RemoveTagKeys")?.Elements(Ns + "Key").Select(k => k.Value).ToList() ?? [];
        if (add.Count > 10 || remove.Count > 10)
        {
            var (member, count) = add.Count > 10 ? ("addTags", add.Count) : ("removeTagKeys", remove.Count);
            throw new AwsErrorException("InvalidInput", $"1 validation error detected: Value with {count} elements at '{member}' failed to satisfy constraint: Member must have length less than or equal to 10");
        }

        if (add.FirstOrDefault(t => t.Key.Length is 0 or > 128 || t.Value.Length > 256) is { Key: not null } bad)
        {
            throw new AwsErrorException("InvalidInput", $"Invalid tag: the key must have 1 to 128 characters and the value at most 256: '{bad.Key}'");
        }

        foreach (var key in remove)
        {
            tags.Remove(key);
        }

        foreach (var (key, value) in add)
        {
            tags[key] = value;
        }

        if (tags.Count > 50)
        {
            throw new AwsErrorException("InvalidInput", $"The number of tags for the resource {id} would exceed the limit of 50.");
        }

        return Ok(E("ChangeTagsForResourceResponse"));
    }

    private static Route53Response ListTagsForResources(string type, XElement? root, Route53State state)
    {
        var ids = root?.Element(Ns + "ResourceIds")?.Elements(Ns + "ResourceId").Select(e => e.Value).ToList() ?? [];
        if (ids.Count is 0 or > 10)
        {
            throw new AwsErrorException("InvalidInput", $"1 validation error detected: Value with {ids.Count} elements at 'resourceIds' failed to satisfy constraint: Member must have length {(ids.Count == 0 ? "greater than or equal to 1" : "less than or equal to 10")}");
        }

        return Ok(E("ListTagsForResourcesResponse", E("ResourceTagSets", ids.Select(id => TagSet(type, id, state)))));
    }

    private static XElement TagSet(string type, string id, Route53State state)
    {
        var tags = state.TagsOf(type, id);
        return E("ResourceTagSet", E("ResourceType", type), E("ResourceId", Route53State.ZoneIdOf(id)), E("Tags", tags.Select(t => E("Tag", E("Key", t.Key), E("Value", t.Value)))));
    }

    private static XElement HealthCheck(HealthCheckModel h) => E(
        "HealthCheck",
        E("Id", h.Id),
        E("CallerReference", h.CallerReference),
        new XElement(h.Config),
        E("HealthCheckVersion", h.Version.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Validates a health check's configuration as Route 53 does and fills in its defaults, in Route 53's member order.</summary>
    private static XElement HealthCheckConfig(XElement config)
    {
        var type = Value(config, "Type") ?? throw new AwsErrorException("InvalidInput", "1 validation error detected: Value null at 'healthCheckConfig.type' failed to satisfy constraint: Member must not be null");
        if (!HealthCheckTypes.Contains(type))
        {
            throw new AwsErrorException("InvalidInput", Route53Validation.Enumeration(type, HealthCheckTypes));
        }

        var values = ConfigOrder.ToDictionary(n => n, n => config.Element(Ns + n), StringComparer.Ordinal);
        string? Text(string name) => values[name]?.Value;
        int? Number(string name, int min, int max)
        {
            if (Text(name) is not { } text)
            {
                return null;
            }

            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                ? n
                : throw new AwsErrorException("InvalidInput", $"Invalid parameter : {name} must be a whole number from {min} to {max}, not '{text}'.");
        }

        var endpoint = type is "HTTP" or "HTTPS" or "HTTP_STR_MATCH" or "HTTPS_STR_MATCH" or "TCP";
        if (endpoint && Text("IPAddress") is null && Text("FullyQualifiedDomainName") is null)
        {
            throw new AwsErrorException("InvalidInput", "Invalid parameter : A health check of type " + type + " needs an IPAddress or a FullyQualifiedDomainName.");
        }

        if (Text("IPAddress") is { } ip && !(IPAddress.TryParse(ip, out var address) && IsPublic(address)))
        {
            throw new AwsErrorException("InvalidInput", $"Invalid parameter : IP address {ip} is not a valid public IPv4 or IPv6 address.");
        }

        if (type is "TCP" && Text("Port") is null)
        {
            throw new AwsErrorException("InvalidInput", "Invalid parameter : A TCP health check needs a Port.");
        }

        if (type.EndsWith("_STR_MATCH", StringComparison.Ordinal) && Text("SearchString") is null)
        {
            throw new AwsErrorException("InvalidInput", "Invalid parameter : A string-matching health check needs a SearchString.");
        }

        if (Number("RequestInterval", 10, 30) is { } interval && interval is not (10 or 30))
        {
            throw new AwsErrorException("InvalidInput", $"Invalid parameter : RequestInterval must be 10 or 30, not {interval}.");
        }

        Number("FailureThreshold", 1, 10);
        Number("Port", 1, 65535);
        Number("HealthThreshold", 0, 256);
        var https = type.StartsWith("HTTPS", StringComparison.Ordinal);
        var defaults = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Port"] = endpoint ? (https ? "443" : type == "TCP" ? null : "80") : null,
            ["RequestInterval"] = endpoint ? "30" : null,
            ["FailureThreshold"] = endpoint ? "3" : null,
            ["MeasureLatency"] = endpoint ? "false" : null,
            ["Inverted"] = "false",
            ["Disabled"] = "false",
            ["EnableSNI"] = endpoint ? (https ? "true" : "false") : null,
        };
        return E("HealthCheckConfig", ConfigOrder.Select(name => values[name] is { } given
            ? new XElement(given)
            : defaults.GetValueOrDefault(name) is { } fallback ? E(name, fallback) : null));
    }

    private static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !(IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal);
        }

        var b = address.GetAddressBytes();
        return !(b[0] is 10 or 127 or 0 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || b[0] >= 224);
    }
}
