namespace ClusterPro.Samples.ConsoleHost.Ocf;

/// <summary>
/// Whether the resource was started on this node and not stopped since: a file in <c>HA_RSCTMP</c>
/// (<c>/run/resource-agents</c>, emptied at boot), as Pacemaker's own agents keep such state. It is what tells "stopped
/// here" from "running here" where AWS cannot: a VIP's routes stay pointing at the last node after its stop, by design,
/// so that the next node has a route to replace. monitor answers OCF_NOT_RUNNING without it, and asks AWS with it.
/// </summary>
internal sealed class OcfStateFile(OcfAgentKind agent, OcfEnvironment environment)
{
    /// <summary>The file: <c>clusterpro-&lt;agent&gt;-&lt;instance&gt;.state</c>.</summary>
    public string Path { get; } = System.IO.Path.Combine(
        environment.StateDirectory,
        $"clusterpro-{agent.Name}-{string.Concat(environment.Instance(agent).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'))}.state");

    /// <summary>Whether the resource was started here.</summary>
    public bool Exists => File.Exists(Path);

    /// <summary>Records a successful start.</summary>
    public void Write(string detail)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        File.WriteAllText(Path, detail + "\n");
    }

    /// <summary>Records a successful stop.</summary>
    public void Delete() => File.Delete(Path);
}
