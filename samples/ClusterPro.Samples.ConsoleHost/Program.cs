using ClusterPro.Samples.ConsoleHost;
using ClusterPro.Samples.ConsoleHost.Ocf;

// An OCF agent (clusterpro ocf awsvip monitor, every few seconds on every node) goes straight to its action.
if (OcfCommand.TryAgent(args) is { } ocf)
{
    return await OcfAgent.RunAsync(ocf.Agent, ocf.Action, OcfEnvironment.Process, Console.Out, Console.Error);
}

return await ConsoleApp.RunAsync(args, Console.Out, Console.Error);
