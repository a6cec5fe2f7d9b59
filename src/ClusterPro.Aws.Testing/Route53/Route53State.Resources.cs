using System.Xml.Linq;
using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>Health checks and the tags of hosted zones and health checks.</summary>
internal sealed partial class Route53State
{
    public Dictionary<string, HealthCheckModel> HealthChecks { get; } = [];

    /// <summary>Tags by <c>hostedzone/&lt;id&gt;</c> or <c>healthcheck/&lt;id&gt;</c>.</summary>
    public Dictionary<string, Dictionary<string, string>> Tags { get; } = new(StringComparer.Ordinal);

    public HealthCheckModel HealthCheck(string id) =>
        HealthChecks.TryGetValue(id, out var h) ? h : throw new AwsErrorException("NoSuchHealthCheck", $"No health check exists with the specified ID {id}", 404);

    /// <summary>Creates a health check; the same caller reference with the same configuration answers the existing one, as Route 53 does.</summary>
    public (HealthCheckModel Check, bool Created) CreateHealthCheck(string callerReference, XElement config)
    {
        if (HealthChecks.Values.FirstOrDefault(h => h.CallerReference == callerReference) is { } existing)
        {
            return XNode.DeepEquals(existing.Config, config)
                ? (existing, false)
                : throw new AwsErrorException("HealthCheckAlreadyExists", $"A health check with caller reference {callerReference} already exists, with a different configuration.", 409);
        }

        var check = new HealthCheckModel { Id = Guid.NewGuid().ToString(), CallerReference = callerReference, Config = config };
        HealthChecks[check.Id] = check;
        return (check, true);
    }

    public void DeleteHealthCheck(string id)
    {
        HealthCheck(id);
        if (Zones.Values.SelectMany(z => z.Records).Any(r => r.Extra.Any(e => e.Name.LocalName == "HealthCheckId" && e.Value == id)))
        {
            throw new AwsErrorException("HealthCheckInUse", $"The health check with ID {id} is still referenced from parameter HealthCheckId of a resource record set.");
        }

        HealthChecks.Remove(id);
        Tags.Remove("healthcheck/" + id);
    }

    /// <summary>The tags of a hosted zone or health check, after checking that it exists.</summary>
    public Dictionary<string, string> TagsOf(string type, string id)
    {
        _ = type switch
        {
            "hostedzone" => Zone(id).Id,
            "healthcheck" => HealthCheck(id).Id,
            _ => throw new AwsErrorException("InvalidInput", $"1 validation error detected: Value '{type}' at 'resourceType' failed to satisfy constraint: Member must satisfy enum value set: [healthcheck, hostedzone]"),
        };
        var key = $"{type}/{ZoneIdOf(id)}";
        if (!Tags.TryGetValue(key, out var tags))
        {
            tags = new Dictionary<string, string>(StringComparer.Ordinal);
            Tags[key] = tags;
        }

        return tags;
    }
}
