namespace ClusterPro.Aws.Internal;

/// <summary>How a poll ended.</summary>
/// <typeparam name="T">What was read.</typeparam>
/// <param name="Last">The last value read.</param>
/// <param name="Reached">True when the awaited state was reached; false when the bound elapsed first.</param>
/// <param name="Elapsed">Time from the first read to the end.</param>
internal readonly record struct PollOutcome<T>(T Last, bool Reached, TimeSpan Elapsed);
