namespace ClusterPro.Applications.Probing;

/// <summary>One request that did not get an expected answer.</summary>
/// <param name="SentAt">When it was sent, from the start of the probe.</param>
/// <param name="Url">Where it went.</param>
/// <param name="Error">What went wrong (<c>503 Service Unavailable</c>, <c>Connection refused</c>, <c>timed out after 1000 ms</c> …).</param>
public sealed record ClientProbeFailure(TimeSpan SentAt, Uri? Url, string Error);
