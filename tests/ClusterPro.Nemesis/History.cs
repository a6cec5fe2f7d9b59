namespace ClusterPro.Nemesis;

/// <summary>
/// Everything recorded in one run, for the checker: the samples of the ground truth, the nodes' failover events, the
/// AWS calls through the proxies, the faults, and the phases (checks begin once the group is first served; the faults
/// begin; healing starts and is done; the run ends). Written by several loops at once.
/// </summary>
internal sealed class History
{
    private readonly object _sync = new();
    private readonly List<Sample> _samples = [];
    private readonly List<NodeEvent> _events = [];
    private readonly List<AwsCall> _calls = [];
    private readonly List<(double T, string Text)> _faults = [];

    /// <summary>The samples.</summary>
    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_sync)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>The nodes' failover events.</summary>
    public IReadOnlyList<NodeEvent> Events
    {
        get
        {
            lock (_sync)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>The AWS calls.</summary>
    public IReadOnlyList<AwsCall> Calls
    {
        get
        {
            lock (_sync)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The faults the nemesis applied.</summary>
    public IReadOnlyList<(double T, string Text)> Faults
    {
        get
        {
            lock (_sync)
            {
                return [.. _faults];
            }
        }
    }

    /// <summary>The latest sample, if any.</summary>
    public Sample? Latest
    {
        get
        {
            lock (_sync)
            {
                return _samples.Count > 0 ? _samples[^1] : null;
            }
        }
    }

    /// <summary>When the group was first served (checks begin).</summary>
    public double ServedFrom { get; set; } = double.NaN;

    /// <summary>When the schedule's faults began.</summary>
    public double FaultsFrom { get; set; } = double.NaN;

    /// <summary>When healing began.</summary>
    public double HealFrom { get; set; } = double.NaN;

    /// <summary>When healing was done: every fault undone, every instance running, every node running again.</summary>
    public double HealedAt { get; set; } = double.NaN;

    /// <summary>When observation ended.</summary>
    public double End { get; set; } = double.NaN;

    /// <summary>The most a sample came later than planned, in seconds: how starved of CPU the machine was.</summary>
    public double MaxSamplerLag { get; set; }

    /// <summary>Records a sample.</summary>
    /// <param name="sample">The sample.</param>
    public void Add(Sample sample)
    {
        lock (_sync)
        {
            _samples.Add(sample);
        }
    }

    /// <summary>Records a node's event.</summary>
    /// <param name="e">The event.</param>
    public void Add(NodeEvent e)
    {
        lock (_sync)
        {
            _events.Add(e);
        }
    }

    /// <summary>Records an AWS call.</summary>
    /// <param name="call">The call.</param>
    public void Add(AwsCall call)
    {
        lock (_sync)
        {
            _calls.Add(call);
        }
    }

    /// <summary>Records a fault.</summary>
    /// <param name="t">When.</param>
    /// <param name="text">What.</param>
    public void AddFault(double t, string text)
    {
        lock (_sync)
        {
            _faults.Add((t, text));
        }
    }
}
