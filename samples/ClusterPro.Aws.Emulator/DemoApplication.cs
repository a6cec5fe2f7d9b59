using System.Diagnostics;
using System.Globalization;

namespace ClusterPro.Aws.Emulator;

/// <summary>
/// The demo group's application: an <c>exec</c> resource in service mode running <see cref="DemoApp"/> (this program,
/// <c>demo-app</c>) on a port of its own per node, and an <c>http</c> monitor of it. Both nodes share one machine in the
/// demo, so each node's service has its own port; a node's "power-off" kills its service, as a machine that stops would.
/// </summary>
internal sealed class DemoApplication
{
    private readonly Dictionary<string, int> _ports;
    private readonly string _pidDir;

    private DemoApplication(Dictionary<string, int> ports, string pidDir)
    {
        _ports = ports;
        _pidDir = pidDir;
    }

    /// <summary>The resource's name.</summary>
    public string Name => "app1";

    /// <summary>Adds the resource and its monitor to the canonical cluster's settings.</summary>
    public static DemoApplication AddTo(Dictionary<string, string?> settings, string pidDir)
    {
        var app = new DemoApplication(new() { ["node1"] = Demo.FreeTcpPort(), ["node2"] = Demo.FreeTcpPort() }, pidDir);
        var index = settings.Keys.Count(k => k.StartsWith("ClusterPro:Groups:failover1:Resources:", StringComparison.Ordinal) && k.EndsWith(":Name", StringComparison.Ordinal));
        var resource = $"ClusterPro:Groups:failover1:Resources:{index}";
        settings[$"{resource}:Name"] = app.Name;
        settings[$"{resource}:Type"] = "exec";
        settings[$"{resource}:Mode"] = "service";
        var start = SelfCommand().Concat([DemoApp.Command, "--ports", string.Join(',', app._ports.Select(p => $"{p.Key}={p.Value}")), "--pid-dir", pidDir]).ToList();
        for (var i = 0; i < start.Count; i++)
        {
            settings[$"{resource}:Start:{i}"] = start[i];
        }

        settings["ClusterPro:Monitors:appw1:Type"] = "http";
        settings["ClusterPro:Monitors:appw1:Resource"] = app.Name;
        settings["ClusterPro:Monitors:appw1:Interval"] = "00:00:01";
        foreach (var (node, _) in app._ports)
        {
            settings[$"ClusterPro:Monitors:appw1:Url:Nodes:{node}"] = app.Url(node).ToString();
        }

        return app;
    }

    /// <summary>Where a node's service answers.</summary>
    public Uri Url(string node) => new($"http://127.0.0.1:{_ports[node]}/");

    /// <summary>Ends a node's service, as a machine that stops would (its exec resource never gets to stop it).</summary>
    public void PowerOff(string node)
    {
        var file = Path.Combine(_pidDir, node + ".pid");
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }

            File.Delete(file);
        }
    }

    /// <summary>How to start this very program again: its apphost, or <c>dotnet</c> and its assembly.</summary>
    private static string[] SelfCommand()
    {
        var host = Environment.ProcessPath!;
        return string.Equals(Path.GetFileNameWithoutExtension(host), "dotnet", StringComparison.Ordinal)
            ? [host, typeof(DemoApplication).Assembly.Location]
            : [host];
    }
}
