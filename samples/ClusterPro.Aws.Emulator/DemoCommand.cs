namespace ClusterPro.Aws.Emulator;

/// <summary>
/// <c>clusterpro-emulator demo [--witness]</c>: the failover demos on the in-process emulator (the production tool,
/// <c>clusterpro</c>, carries neither the emulator nor the demos).
/// </summary>
internal static class DemoCommand
{
    public const string Usage = """
        Usage: clusterpro-emulator demo [--witness]
          demo            Two nodes on the in-process AWS emulator: fail node1, watch node2 take over (exit 0 when the group is healthy on node2).
          demo --witness  No fencing, a DynamoDB witness: split the nodes' heartbeats and watch the group stay on one node, then fail node1
                          and watch node2 take the lease (exit 0 when there was one owner throughout and the group ends on node2).
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        switch (args)
        {
            case []:
                return await Demo.RunAsync(output);
            case ["--witness"]:
                return await WitnessDemo.RunAsync(output);
            case ["--help" or "-h" or "-?"]:
                await output.WriteLineAsync(Usage);
                return 0;
            default:
                await error.WriteLineAsync($"demo: unknown option {string.Join(' ', args)}.");
                await error.WriteLineAsync(Usage);
                return 64;
        }
    }
}
