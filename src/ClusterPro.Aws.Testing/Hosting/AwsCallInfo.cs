using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>What a request is: its service, its operation, the values it names (for resource-scoped faults) and, for the Query protocol, its parameters.</summary>
internal sealed record AwsCallInfo(AwsService Service, string Operation, IReadOnlyList<string> Values, QueryParams? Query)
{
    /// <summary>For an unserved service: the SigV4 service it was signed for (or the target's prefix), for the call log.</summary>
    public string? ServiceName { get; init; }

    /// <summary>For an unserved service: whether it spoke the Query protocol (answered in XML) rather than JSON or REST.</summary>
    public bool QueryProtocol { get; init; }
}
