using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;

namespace ClusterPro.Aws.Emulator;

/// <summary>
/// <c>clusterpro-emulator demo-app --ports node1=N,node2=M --pid-dir DIR</c>: the small HTTP service the demo's group
/// holds (an <c>exec</c> resource in service mode). It answers <c>GET /</c> on 127.0.0.1 with the node it runs for
/// (<c>CLUSTERPRO_NODE</c>, which the exec resource sets) and the event that started it (<c>CLUSTERPRO_EVENT</c>), keeps
/// its process id in <c>DIR/&lt;node&gt;.pid</c> (the demo kills it when it "powers off" that node), and stops on SIGTERM.
/// </summary>
internal static class DemoApp
{
    public const string Command = "demo-app";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter error)
    {
        var node = Environment.GetEnvironmentVariable("CLUSTERPRO_NODE");
        var why = Environment.GetEnvironmentVariable("CLUSTERPRO_EVENT") ?? "start";
        if (args is not ["--ports", var ports, "--pid-dir", var pidDir] || node is null)
        {
            await error.WriteLineAsync($"{Command}: run by the demo's exec resource, as {Command} --ports node1=N,node2=M --pid-dir DIR with CLUSTERPRO_NODE set.");
            return 64;
        }

        var port = ports.Split(',').Select(p => p.Split('=')).FirstOrDefault(p => p.Length == 2 && p[0] == node) is { } found
            && int.TryParse(found[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        if (port is < 1 or > 65535)
        {
            await error.WriteLineAsync($"{Command}: --ports {ports} has no port for {node}.");
            return 64;
        }

        using var stop = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Directory.CreateDirectory(pidDir);
        await File.WriteAllTextAsync(Path.Combine(pidDir, node + ".pid"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var body = Encoding.UTF8.GetBytes($"served by {node} ({why})\n");
        using var closing = stop.Token.Register(listener.Stop);
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                break;
            }

            context.Response.ContentType = "text/plain";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }

        return 0;
    }
}
