namespace ClusterPro.Aws.Testing.Faults;

/// <summary>What a fault does to a matching request.</summary>
public enum FaultKind
{
    /// <summary>Delay the answer by <see cref="FaultRule.Latency"/> plus up to <see cref="FaultRule.Jitter"/>.</summary>
    Latency,

    /// <summary>Answer with an AWS error (<see cref="FaultRule.ErrorCode"/>, <see cref="FaultRule.Status"/>).</summary>
    Error,

    /// <summary>Never answer: the request hangs until the client gives up.</summary>
    Hang,

    /// <summary>Reset the connection without an answer.</summary>
    ConnectionReset,

    /// <summary>An IAM-style deny: <c>UnauthorizedOperation</c> (EC2) or <c>AccessDenied</c> (Route 53), status 403.</summary>
    Deny,
}

/// <summary>
/// A fault injected into matching requests. <see cref="Operation"/> is an API operation name
/// (<c>ReplaceRoute</c>, <c>ChangeResourceRecordSets</c>, <c>IMDS</c> for instance metadata) or <c>*</c>.
/// </summary>
public sealed class FaultRule
{
    /// <summary>The operation, or <c>*</c> for every operation. <value>Default: <c>*</c>.</value></summary>
    public string Operation { get; init; } = "*";

    /// <summary>What the fault does.</summary>
    public FaultKind Kind { get; init; }

    /// <summary>Fixed added latency (<see cref="FaultKind.Latency"/>).</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Random extra latency, from zero up to this value.</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>The AWS error code (<see cref="FaultKind.Error"/>), e.g. <c>RequestLimitExceeded</c>, <c>Throttling</c>, <c>InternalError</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error message; a code-specific default when <see langword="null"/>.</summary>
    public string? Message { get; init; }

    /// <summary>The HTTP status of the error. <value>Default: a code-specific status (503 throttling, 500 internal error, 400 otherwise).</value></summary>
    public int? Status { get; init; }

    /// <summary>Apply to the next N matching calls only; <see langword="null"/> for every call.</summary>
    public int? Count { get; init; }

    /// <summary>The fraction of matching calls affected (0–1). <value>Default: 1.</value></summary>
    public double Probability { get; init; } = 1.0;

    /// <summary>Only requests that name this resource ID (e.g. one route table) are affected.</summary>
    public string? ResourceId { get; init; }

    /// <summary>Completes when the rule first affects a call (lets a test act while a call hangs, without sleeping).</summary>
    public Task Triggered => _triggered.Task;

    internal int Remaining { get; set; } = -1;

    private readonly TaskCompletionSource _triggered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal void MarkTriggered() => _triggered.TrySetResult();
}

/// <summary>The emulator's fault injection: rules per operation, and "endpoint down" for everything.</summary>
public sealed class EmulatorFaults
{
    private readonly List<FaultRule> _rules = [];
    private readonly Random _random;

    internal EmulatorFaults(int seed) => _random = new Random(seed);

    /// <summary>When true every AWS request (not the <c>/_emulator/</c> control API) has its connection reset.</summary>
    public bool EndpointDown { get; set; }

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (_rules)
            {
                return [.. _rules];
            }
        }
    }

    /// <summary>Adds a rule.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The rule (to remove it later).</returns>
    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_rules)
        {
            rule.Remaining = rule.Count ?? -1;
            _rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Removes a rule.</summary>
    /// <param name="rule">The rule.</param>
    public void Remove(FaultRule rule)
    {
        lock (_rules)
        {
            _rules.Remove(rule);
        }
    }

    /// <summary>Removes every rule and brings the endpoint back up.</summary>
    public void Clear()
    {
        lock (_rules)
        {
            _rules.Clear();
        }

        EndpointDown = false;
    }

    /// <summary>Throttles the next <paramref name="count"/> calls of an operation (EC2 <c>RequestLimitExceeded</c> 503, Route 53 <c>Throttling</c> 400).</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="count">How many calls.</param>
    /// <returns>The rule.</returns>
    public FaultRule Throttle(string operation, int count) =>
        Add(new FaultRule { Operation = operation, Kind = FaultKind.Error, ErrorCode = "Throttle", Count = count });

    /// <summary>Adds latency to an operation.</summary>
    /// <param name="operation">The operation or <c>*</c>.</param>
    /// <param name="latency">Fixed latency.</param>
    /// <param name="jitter">Random extra latency up to this value.</param>
    /// <returns>The rule.</returns>
    public FaultRule AddLatency(string operation, TimeSpan latency, TimeSpan jitter = default) =>
        Add(new FaultRule { Operation = operation, Kind = FaultKind.Latency, Latency = latency, Jitter = jitter });

    /// <summary>Makes an operation hang until the client gives up.</summary>
    /// <param name="operation">The operation or <c>*</c>.</param>
    /// <param name="count">How many calls, or every call.</param>
    /// <returns>The rule.</returns>
    public FaultRule Hang(string operation, int? count = null) =>
        Add(new FaultRule { Operation = operation, Kind = FaultKind.Hang, Count = count });

    /// <summary>Resets the connection of an operation's calls.</summary>
    /// <param name="operation">The operation or <c>*</c>.</param>
    /// <param name="count">How many calls, or every call.</param>
    /// <returns>The rule.</returns>
    public FaultRule Reset(string operation, int? count = null) =>
        Add(new FaultRule { Operation = operation, Kind = FaultKind.ConnectionReset, Count = count });

    /// <summary>Answers an operation with an AWS error.</summary>
    /// <param name="operation">The operation or <c>*</c>.</param>
    /// <param name="code">The AWS error code.</param>
    /// <param name="status">The HTTP status (a code-specific default when null).</param>
    /// <param name="count">How many calls, or every call.</param>
    /// <returns>The rule.</returns>
    public FaultRule Error(string operation, string code, int? status = null, int? count = null) =>
        Add(new FaultRule { Operation = operation, Kind = FaultKind.Error, ErrorCode = code, Status = status, Count = count });

    /// <summary>Denies an operation, optionally only for requests naming one resource ID.</summary>
    /// <param name="operation">The operation or <c>*</c>.</param>
    /// <param name="resourceId">The resource ID, or every resource.</param>
    /// <returns>The rule.</returns>
    public FaultRule Deny(string operation, string? resourceId = null) =>
        Add(new FaultRule { Operation = operation, Kind = FaultKind.Deny, ResourceId = resourceId });

    /// <summary>
    /// The rules that apply to one call: every matching latency rule, then at most one answer-changing rule
    /// (error, deny, hang, reset) — the first in order. Only the rules that apply are counted; a rule whose
    /// <see cref="FaultRule.Probability"/> roll fails does not apply. <c>*</c> matches every AWS operation, never
    /// instance metadata (<c>IMDS</c> rules name it).
    /// </summary>
    internal AppliedFaults Match(string operation, IEnumerable<string> requestValues)
    {
        var values = new Lazy<HashSet<string>>(() => new HashSet<string>(requestValues, StringComparer.Ordinal));
        var latencies = new List<FaultRule>();
        FaultRule? terminal = null;
        var imds = string.Equals(operation, "IMDS", StringComparison.Ordinal);
        lock (_rules)
        {
            foreach (var rule in _rules)
            {
                var named = string.Equals(rule.Operation, operation, StringComparison.OrdinalIgnoreCase);
                if (!(named || (rule.Operation == "*" && !imds)))
                {
                    continue;
                }

                if (rule.Kind != FaultKind.Latency && terminal is not null)
                {
                    continue;
                }

                if (rule.ResourceId is not null && !values.Value.Contains(rule.ResourceId))
                {
                    continue;
                }

                if (rule.Remaining == 0 || (rule.Probability < 1.0 && _random.NextDouble() >= rule.Probability))
                {
                    continue;
                }

                if (rule.Remaining > 0)
                {
                    rule.Remaining--;
                }

                if (rule.Kind == FaultKind.Latency)
                {
                    latencies.Add(rule);
                }
                else
                {
                    terminal = rule;
                }

                rule.MarkTriggered();
            }

            _rules.RemoveAll(r => r.Remaining == 0);
        }

        return new AppliedFaults(latencies, terminal);
    }

    internal TimeSpan NextJitter(TimeSpan max)
    {
        lock (_rules)
        {
            return max <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(_random.NextDouble() * max.Ticks));
        }
    }
}
