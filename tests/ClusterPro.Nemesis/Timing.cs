using System.Globalization;

namespace ClusterPro.Nemesis;

/// <summary>
/// The settings the suite writes into every node's configuration, short so that schedules are fast, and every bound
/// the checker uses, derived from them (nothing is tuned to what a run happened to measure). Times in seconds.
/// </summary>
internal sealed record Timing
{
    /// <summary>Heartbeat:Interval.</summary>
    public double HeartbeatInterval { get; init; } = 0.25;

    /// <summary>Heartbeat:Timeout.</summary>
    public double HeartbeatTimeout { get; init; } = 1.25;

    /// <summary>Failover:StartupWait.</summary>
    public double StartupWait { get; init; } = 1.5;

    /// <summary>Failover:FenceDelay (the lower-priority node's wait before it fences).</summary>
    public double FenceDelay { get; init; } = 1.0;

    /// <summary>Failover:FenceRetryInterval.</summary>
    public double FenceRetryInterval { get; init; } = 0.5;

    /// <summary>Failover:FenceRetryMax.</summary>
    public double FenceRetryMax { get; init; } = 2;

    /// <summary>NetworkPartition:Http[0]:Timeout.</summary>
    public double ProbeTimeout { get; init; } = 0.5;

    /// <summary>NetworkPartition:Attempts.</summary>
    public int ProbeAttempts { get; init; } = 3;

    /// <summary>NetworkPartition:RetryInterval.</summary>
    public double ProbeRetryInterval { get; init; } = 0.2;

    /// <summary>Fencing:PollInterval (the fencer's first poll; it doubles after each).</summary>
    public double FencePollInterval { get; init; } = 0.1;

    /// <summary>Fencing:StopTimeout.</summary>
    public double FenceStopTimeout { get; init; } = 10;

    /// <summary>Fencing:AwsCallTimeout.</summary>
    public double FenceAwsCallTimeout { get; init; } = 2;

    /// <summary>Every resource's AwsCallTimeout.</summary>
    public double ResourceAwsCallTimeout { get; init; } = 2;

    /// <summary>The resource monitors' Interval.</summary>
    public double MonitorInterval { get; init; } = 2;

    /// <summary>The resource monitors' Timeout.</summary>
    public double MonitorTimeout { get; init; } = 5;

    /// <summary>Witness:LeaseDuration.</summary>
    public double LeaseDuration { get; init; } = 3;

    /// <summary>Witness:AwsCallTimeout.</summary>
    public double LeaseAwsCallTimeout { get; init; } = 0.75;

    /// <summary>The standalone emulator's forced stop (stopping to stopped; not an option of the standalone emulator).</summary>
    public double ForcedStopDelay { get; init; } = 2;

    /// <summary>The emulator's instance start (pending to running).</summary>
    public double InstanceStartDelay { get; init; } = 1;

    /// <summary>The emulator's Route 53 propagation (--propagation-delay).</summary>
    public double Route53Propagation { get; init; } = 0.25;

    /// <summary>How often the checker samples AWS and the processes.</summary>
    public double SampleInterval { get; init; } = 0.1;

    /// <summary>
    /// One group activation on loopback: the VIP's DescribeRouteTables and ReplaceRoutes, the EIP's association, the
    /// record's change — a handful of calls of a few milliseconds, with room for a 2-core machine running every process.
    /// </summary>
    public double Activation { get; init; } = 1.0;

    /// <summary>Scheduling slack on a shared 2-core machine: GC pauses, the sampler's period, pipes.</summary>
    public double Slack { get; init; } = 1.0;

    /// <summary>Latency the schedule adds to every AWS call of a node (the largest); bounds grow by it per call.</summary>
    public double CallLatency { get; init; }

    /// <summary>Latency the schedule adds to one operation of a node (a fence's StopInstances); a fence may pay it twice.</summary>
    public double OperationLatency { get; init; }

    /// <summary>A lease renewal every third of the lease.</summary>
    public double LeaseRenewInterval => LeaseDuration / 3;

    /// <summary>Losing a peer: its last heartbeat may have come an interval before it went quiet.</summary>
    public double Detection => HeartbeatTimeout + HeartbeatInterval;

    /// <summary>The NP probe of a node that reaches its target: one answered request.</summary>
    public double Probe => ProbeTimeout;

    /// <summary>
    /// One fence: the fence delay, the fencer's check of its own instance, StopInstances, and the polls until the
    /// instance is stopped. The polls double from Fencing:PollInterval, so the one that sees <c>stopped</c> comes at most
    /// the stop's own time later.
    /// </summary>
    public double Fence => FenceDelay + FencePollInterval + 2 * ForcedStopDelay + Calls(4) + (2 * OperationLatency);

    /// <summary>What latency on every call adds to <paramref name="calls"/> calls.</summary>
    /// <param name="calls">How many calls.</param>
    /// <returns>Seconds.</returns>
    public double Calls(int calls) => calls * CallLatency;

    /// <summary>Taking a lease over from a holder that stopped renewing: a full lease unchanged by this node's clock, read on the renewal cadence.</summary>
    public double LeaseTakeover => LeaseDuration + 2 * LeaseRenewInterval + LeaseAwsCallTimeout;

    /// <summary>
    /// The takeover bound: once the owner is dead or frozen and a node that could take the group is healthy, the group
    /// is served again within detection, the probe, the fence (with fencing), the lease (with a witness), one
    /// activation and the slack.
    /// </summary>
    /// <param name="shape">The cluster.</param>
    /// <returns>Seconds.</returns>
    public double TakeoverBound(ClusterShape shape) =>
        Detection + Probe + (shape.Fencing ? Fence : 0) + (shape.Witness ? LeaseTakeover + Calls(2) : 0) + Activation + Calls(5) + Slack;

    /// <summary>
    /// Resources may point at two nodes while an owner switches them one by one (routes, then the EIP, then the record):
    /// one activation, with slack.
    /// </summary>
    public double TransitionTolerance => Activation + Calls(5) + Slack;

    /// <summary>
    /// Two running nodes may both claim a group while a frozen owner wakes: until its first heartbeat tells it of the
    /// newer claim (a timeout at most) and it has released the group (one deactivation).
    /// </summary>
    public double ClaimTolerance => HeartbeatTimeout + Activation + Calls(5) + Slack;

    /// <summary>A completed fence is used: the fencer activates the group within one activation (and the slack).</summary>
    public double FenceUsedBound => Activation + Calls(5) + Slack;

    /// <summary>After healing (every node running again): the start-up wait, then a whole takeover at most.</summary>
    /// <param name="shape">The cluster.</param>
    /// <returns>Seconds.</returns>
    public double LivenessBound(ClusterShape shape) => StartupWait + TakeoverBound(shape);

    /// <summary>The owner must stay put this long after the liveness bound was met (no flapping).</summary>
    public double Quiet => 2 * HeartbeatTimeout + Activation;

    /// <summary>
    /// How far back a fence's decision may reach: a node fenced while it was running in a majority all that time was
    /// fenced wrongly. Detection, the probes of a node that does not reach its target, the fence delay, the call.
    /// </summary>
    public double FenceLookback => Detection + (ProbeAttempts * (ProbeTimeout + ProbeRetryInterval)) + FenceDelay + FenceAwsCallTimeout + Calls(2) + OperationLatency;

    /// <summary>Formats seconds for configuration files (<c>00:00:01.250</c>).</summary>
    /// <param name="seconds">Seconds.</param>
    /// <returns>The time span text.</returns>
    public static string Span(double seconds) => TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture);

    /// <summary>The bounds in one line, for the timeline.</summary>
    /// <param name="shape">The cluster.</param>
    /// <returns>The line.</returns>
    public string Describe(ClusterShape shape) => string.Create(
        CultureInfo.InvariantCulture,
        $"heartbeat {HeartbeatInterval:0.###}/{HeartbeatTimeout:0.###} s, start-up wait {StartupWait:0.###} s, fence delay {FenceDelay:0.###} s{(shape.Witness ? $", lease {LeaseDuration:0.###} s" : "")}; bounds: takeover {TakeoverBound(shape):0.0} s, transition {TransitionTolerance:0.0} s, claims {ClaimTolerance:0.0} s, liveness {LivenessBound(shape):0.0} s + quiet {Quiet:0.0} s");
}
