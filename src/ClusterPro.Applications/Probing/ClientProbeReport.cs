using System.Globalization;

namespace ClusterPro.Applications.Probing;

/// <summary>
/// What a client saw: how many requests answered, how many failed, and the longest time it went without an answer
/// (from one answered request to the next, by when they were answered; from the start of the probe to the first).
/// </summary>
/// <param name="Duration">How long the probe ran.</param>
/// <param name="Requests">Requests finished (answered or failed).</param>
/// <param name="Succeeded">Requests answered with an expected status.</param>
/// <param name="Failed">Requests that failed.</param>
/// <param name="LongestGap">
/// The longest time without an answer: between two answers, from the start of the probe to the first answer, and — when
/// the service had stopped answering by the end — from its last answer to the end (with no answer at all, the whole
/// duration). Start the probe once the service answers, so that the start is not counted as an outage.
/// </param>
/// <param name="LongestGapStart">When the longest gap began (the answer before it), from the start of the probe.</param>
/// <param name="AnsweringAtEnd">Whether the last finished request was answered.</param>
/// <param name="Failures">The failed requests, in the order they finished (the first <see cref="HttpClientProbeOptions.MaxFailuresListed"/>).</param>
public sealed record ClientProbeReport(
    TimeSpan Duration,
    int Requests,
    int Succeeded,
    int Failed,
    TimeSpan LongestGap,
    TimeSpan LongestGapStart,
    bool AnsweringAtEnd,
    IReadOnlyList<ClientProbeFailure> Failures)
{
    /// <summary>One line for people: <c>412 requests in 20.6 s, 23 failed; longest gap without an answer 1234 ms (from 8.402 s)</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Requests} requests in {Duration.TotalSeconds:0.0} s, {Failed} failed; longest gap without an answer {LongestGap.TotalMilliseconds:0} ms (from {LongestGapStart.TotalSeconds:0.000} s){(AnsweringAtEnd ? string.Empty : "; not answering at the end")}");
}
