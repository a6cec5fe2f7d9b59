using System.Xml.Linq;

namespace ClusterPro.Aws.Testing.Route53;

/// <summary>A health check: its caller reference, configuration (as Route 53 answers it, defaults filled in) and version.</summary>
internal sealed class HealthCheckModel
{
    public required string Id { get; init; }

    public required string CallerReference { get; init; }

    public required XElement Config { get; set; }

    public long Version { get; set; } = 1;
}
