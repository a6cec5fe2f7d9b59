using ClusterPro.Aws.Testing.Ec2;

namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>What a request is: its service, its operation, the values it names (for resource-scoped faults) and, for the Query protocol, its parameters.</summary>
internal sealed record AwsCallInfo(AwsService Service, string Operation, IReadOnlyList<string> Values, QueryParams? Query);
