namespace ClusterPro.Nemesis;

/// <summary>One AWS call a node made through its proxy.</summary>
/// <param name="T">Run seconds when the proxy handed it to the emulator (or dropped it).</param>
/// <param name="Node">The caller.</param>
/// <param name="Operation">The operation, e.g. <c>StopInstances</c>.</param>
/// <param name="Targets">The nodes whose instances it names (StopInstances, StartInstances, DescribeInstances).</param>
/// <param name="Outcome"><c>forwarded</c>, <c>refused</c> or <c>black-holed</c>.</param>
internal sealed record AwsCall(double T, string Node, string Operation, IReadOnlyList<string> Targets, string Outcome);
