using System.Text.Json.Serialization;

namespace ClusterPro.Failover;

/// <summary>The operator's settings a node keeps across restarts (<see cref="FailoverManagerOptions.StateDirectory"/>).</summary>
/// <param name="Standby">The node is on standby.</param>
/// <param name="Maintenance">The cluster is in maintenance, as the node last knew.</param>
/// <param name="MaintenanceVersion">That setting's version.</param>
internal sealed record OperatorState(bool Standby, bool Maintenance, long MaintenanceVersion);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(OperatorState))]
internal sealed partial class OperatorStateJson : JsonSerializerContext;
