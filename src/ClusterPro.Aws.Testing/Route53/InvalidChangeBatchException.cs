namespace ClusterPro.Aws.Testing.Route53;

/// <summary>A change batch Route 53 refuses, with every reason (answered as <c>InvalidChangeBatch</c>).</summary>
internal sealed class InvalidChangeBatchException(IReadOnlyList<string> messages) : Exception(string.Join("; ", messages))
{
    public IReadOnlyList<string> Messages { get; } = messages;
}
