namespace ClusterPro.Simulation;

/// <summary>
/// Simulated time and the one queue of everything that will happen, in order: single-threaded, no wall clock. Events
/// at the same millisecond run in the order they were scheduled, so a seed replays exactly.
/// </summary>
internal sealed class World(int seed)
{
    private readonly PriorityQueue<SimEvent, (long At, long Seq)> _queue = new();
    private long _seq;

    /// <summary>Runs the events that are not plain actions (deliveries and timers, kept as values so they allocate nothing).</summary>
    public Action<SimEvent>? Dispatch { get; set; }

    /// <summary>The seed's random source: every random choice of a history comes from here.</summary>
    public Random Rng { get; } = new(seed);

    /// <summary>Simulated milliseconds since the history began.</summary>
    public long Now { get; private set; }

    /// <summary>Events run so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Runs <paramref name="action"/> at <paramref name="at"/> (not before now).</summary>
    /// <param name="at">When.</param>
    /// <param name="action">What.</param>
    public void At(long at, Action action) => _queue.Enqueue(new SimEvent(SimEventKind.Action, action, null, null, 0), (Math.Max(at, Now), _seq++));

    /// <summary>Schedules an event kept as a value.</summary>
    /// <param name="at">When.</param>
    /// <param name="e">The event.</param>
    public void At(long at, SimEvent e) => _queue.Enqueue(e, (Math.Max(at, Now), _seq++));

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> milliseconds.</summary>
    /// <param name="delay">How long from now.</param>
    /// <param name="action">What.</param>
    public void After(long delay, Action action) => At(Now + Math.Max(0, delay), action);

    /// <summary>Runs the next event if it is due by <paramref name="until"/>.</summary>
    /// <param name="until">The last moment to run.</param>
    /// <returns>False when nothing is due.</returns>
    public bool Step(long until)
    {
        if (!_queue.TryPeek(out _, out var next) || next.At > until)
        {
            Now = Math.Max(Now, until);
            return false;
        }

        var e = _queue.Dequeue();
        Now = next.At;
        Steps++;
        if (e.Kind == SimEventKind.Action)
        {
            e.Action!();
        }
        else
        {
            Dispatch!(e);
        }

        return true;
    }

    /// <summary>A uniform random number in [min, max].</summary>
    /// <param name="min">Smallest.</param>
    /// <param name="max">Largest.</param>
    /// <returns>The number.</returns>
    public long Between(long min, long max) => min >= max ? min : min + Rng.NextInt64(max - min + 1);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    /// <param name="p">The probability.</param>
    /// <returns>The draw.</returns>
    public bool Chance(double p) => p > 0 && Rng.NextDouble() < p;

    /// <summary>One of <paramref name="items"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">The items.</param>
    /// <returns>The pick.</returns>
    public T Pick<T>(IReadOnlyList<T> items) => items[Rng.Next(items.Count)];
}

/// <summary>What a scheduled event is.</summary>
internal enum SimEventKind : byte
{
    Action,
    Deliver,
    Tick,
    Heartbeat,
}

/// <summary>A scheduled event: a plain action, or a delivery or timer kept as a value.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Action">For <see cref="SimEventKind.Action"/>: what to run.</param>
/// <param name="Node">For the others: the node.</param>
/// <param name="Message">For a delivery: the heartbeat.</param>
/// <param name="Generation">For a timer: the process run it belongs to.</param>
internal readonly record struct SimEvent(SimEventKind Kind, Action? Action, SimNode? Node, Failover.HeartbeatMessage? Message, int Generation);
