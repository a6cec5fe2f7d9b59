namespace ClusterPro.Aws.Testing.Hosting;

/// <summary>The calls received, in order (thread-safe).</summary>
internal sealed class EmulatorCallLog
{
    private readonly List<EmulatorCall> _calls = [];

    public void Add(EmulatorCall call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }

    public IReadOnlyList<EmulatorCall> Snapshot()
    {
        lock (_calls)
        {
            return [.. _calls];
        }
    }

    public void Clear()
    {
        lock (_calls)
        {
            _calls.Clear();
        }
    }
}
