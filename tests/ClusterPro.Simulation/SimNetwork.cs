namespace ClusterPro.Simulation;

/// <summary>
/// The heartbeat network between simulated nodes: per directed link, cuts (symmetric and one-way partitions), loss,
/// extra delay (which reorders packets) and duplication. Overlapping faults are counted, so one ending does not heal
/// another.
/// </summary>
internal sealed class SimNetwork
{
    private readonly int[,] _cuts;
    private readonly double[,] _loss;
    private readonly long[,] _delay;
    private readonly double[,] _duplicate;
    private readonly long[,] _cutSince;
    private readonly long[,] _troubledAt;

    public SimNetwork(int nodes)
    {
        _cuts = new int[nodes, nodes];
        _loss = new double[nodes, nodes];
        _delay = new long[nodes, nodes];
        _duplicate = new double[nodes, nodes];
        _cutSince = new long[nodes, nodes];
        _troubledAt = new long[nodes, nodes];
        for (var a = 0; a < nodes; a++)
        {
            for (var b = 0; b < nodes; b++)
            {
                _troubledAt[a, b] = long.MinValue / 2;
            }
        }
    }

    /// <summary>The last time the link was cut, lossy or lagging (now, while it is).</summary>
    /// <param name="from">Sender.</param>
    /// <param name="to">Receiver.</param>
    /// <param name="now">Now.</param>
    /// <returns>The time.</returns>
    public long TroubledAt(int from, int to, long now) => Works(from, to) && _loss[from, to] == 0 && _delay[from, to] == 0 ? _troubledAt[from, to] : now;

    public void Cut(int from, int to, long now)
    {
        if (_cuts[from, to]++ == 0)
        {
            _cutSince[from, to] = now;
        }
    }

    public void Restore(int from, int to, long now)
    {
        _cuts[from, to] = Math.Max(0, _cuts[from, to] - 1);
        _troubledAt[from, to] = now;
    }

    public bool IsCut(int from, int to) => _cuts[from, to] > 0;

    /// <summary>Since when the link is cut (<see cref="long.MaxValue"/> while it is not).</summary>
    /// <param name="from">Sender.</param>
    /// <param name="to">Receiver.</param>
    /// <returns>The time.</returns>
    public long CutSince(int from, int to) => _cuts[from, to] > 0 ? _cutSince[from, to] : long.MaxValue;

    public void SetLoss(int from, int to, double loss, long now)
    {
        _loss[from, to] = loss;
        _troubledAt[from, to] = now;
    }

    public void SetDelay(int from, int to, long delay, long now)
    {
        _delay[from, to] = delay;
        _troubledAt[from, to] = now;
    }

    public void SetDuplicate(int from, int to, double p) => _duplicate[from, to] = p;

    /// <summary>Decides the fate of one packet: null when lost, else its delays (two when duplicated).</summary>
    /// <param name="w">The world.</param>
    /// <param name="from">Sender.</param>
    /// <param name="to">Receiver.</param>
    /// <returns>Delivery delays in milliseconds, or null.</returns>
    public (long First, long? Second)? Fate(World w, int from, int to)
    {
        if (_cuts[from, to] > 0 || w.Chance(_loss[from, to]))
        {
            return null;
        }

        var delay = w.Between(0, 5) + (_delay[from, to] > 0 ? w.Between(0, _delay[from, to]) : 0);
        long? second = w.Chance(_duplicate[from, to]) ? delay + w.Between(0, 50) : null;
        return (delay, second);
    }

    /// <summary>Whether packets can flow from one node to the other at all (not cut and not lossy beyond hope).</summary>
    /// <param name="from">Sender.</param>
    /// <param name="to">Receiver.</param>
    /// <returns>True when the link works.</returns>
    public bool Works(int from, int to) => _cuts[from, to] == 0 && _loss[from, to] < 0.9;

    /// <summary>Whether any link loses or delays packets now (a clean cut is not trouble of this kind).</summary>
    public bool AnyTrouble
    {
        get
        {
            foreach (var l in _loss)
            {
                if (l > 0)
                {
                    return true;
                }
            }

            foreach (var d in _delay)
            {
                if (d > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public void HealAll(long now)
    {
        for (var a = 0; a < _cuts.GetLength(0); a++)
        {
            for (var b = 0; b < _cuts.GetLength(1); b++)
            {
                if (_cuts[a, b] > 0 || _loss[a, b] > 0 || _delay[a, b] > 0)
                {
                    _troubledAt[a, b] = now;
                }
            }
        }

        Array.Clear(_cuts);
        Array.Clear(_loss);
        Array.Clear(_delay);
        Array.Clear(_duplicate);
    }
}
