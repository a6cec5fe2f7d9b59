namespace ClusterPro.Nemesis.Tests;

/// <summary>
/// Builds a run's history by hand, sample by sample every 0.1 s, as the sampler would have recorded it: where the
/// five resources point (three VIP route tables, the EIP, the record) and each node's state. Checks begin at 0.
/// </summary>
internal sealed class Histories
{
    private readonly string[] _names;
    private readonly Dictionary<string, NodeSample> _nodes = [];
    private readonly HashSet<(string, string)> _faulted = [];
    private string?[] _owners;
    private double _t;

    public Histories(int nodes, string owner = "node1")
    {
        _names = [.. Enumerable.Range(1, nodes).Select(i => $"node{i}")];
        foreach (var n in _names)
        {
            _nodes[n] = new NodeSample(n, ProcState.Running, "running", true, 0, true);
        }

        _owners = [owner, owner, owner, owner, owner];
        History.ServedFrom = 0;
        History.FaultsFrom = 0;
    }

    public History History { get; } = new();

    public double Now => _t;

    /// <summary>Every resource on <paramref name="owner"/> (or nothing).</summary>
    public Histories Owner(string? owner)
    {
        _owners = [owner, owner, owner, owner, owner];
        return this;
    }

    /// <summary>Each resource on its own node.</summary>
    public Histories Owners(params string?[] owners)
    {
        _owners = owners;
        return this;
    }

    public Histories Node(string name, ProcState? proc = null, string? instance = null, bool? awsOk = null)
    {
        var n = _nodes[name];
        _nodes[name] = n with { Proc = proc ?? n.Proc, Instance = instance ?? n.Instance, AwsOk = awsOk ?? n.AwsOk };
        return this;
    }

    /// <summary>Cuts (or heals) both directions between two nodes.</summary>
    public Histories Cut(string a, string b, bool cut = true)
    {
        if (cut)
        {
            _faulted.Add((a, b));
            _faulted.Add((b, a));
        }
        else
        {
            _faulted.Remove((a, b));
            _faulted.Remove((b, a));
        }

        return this;
    }

    public Histories Event(string node, string kind, string subject, string detail = "", bool succeeded = true)
    {
        History.Add(new NodeEvent(_t, node, kind, subject, detail, succeeded));
        return this;
    }

    public Histories StopInstances(string fencer, string target)
    {
        History.Add(new AwsCall(_t, fencer, "StopInstances", [target], "forwarded"));
        return this;
    }

    public Histories Fault(string text)
    {
        History.AddFault(_t, text);
        return this;
    }

    /// <summary>Records samples every 0.1 s for <paramref name="seconds"/>, the state as it is now.</summary>
    public Histories For(double seconds)
    {
        var end = _t + seconds;
        for (; _t < end - 1e-9; _t = Math.Round(_t + 0.1, 3))
        {
            History.Add(new Sample(_t, [.. _owners], [.. _names.Select(n => _nodes[n])], _faulted.ToHashSet()));
        }

        return this;
    }

    /// <summary>Marks the heal (every node running again) now.</summary>
    public Histories Healed()
    {
        History.HealFrom = _t;
        History.HealedAt = _t;
        return this;
    }

    public Histories End()
    {
        History.End = _t;
        return this;
    }
}
